import { ConfigError } from './config.js';
import { gatewayEnvironment, loadSandboxesConfig } from './sandboxes/config.js';
import { startSandboxes } from './sandboxes/index.js';

/**
 * The five provider sandboxes as a process of their own, for staging: a gateway beside it is
 * configured exactly as for real providers (SANDBOX unset, provider URLs at this process).
 * Prints the variables that gateway needs, stops cleanly on SIGTERM/SIGINT.
 */
async function main(): Promise<void> {
  let config;
  try {
    config = loadSandboxesConfig();
  } catch (error) {
    if (error instanceof ConfigError) {
      // Every wrong variable by name, none by value (EX_CONFIG: a supervisor should not restart this).
      console.error(error.message);
      process.exit(78);
    }
    throw error;
  }
  const running = await startSandboxes(config.start);
  const last = config.firstPort + 5;
  console.log(`Provider sandboxes listening on ${config.bindHost}:${config.firstPort}-${last}`);
  console.log(`Pages for browsers at http://${config.publicHost}:${config.firstPort}-${last}`);
  // The others call back at the URL each order names (<the gateway's PUBLIC_URL>/webhooks/<provider>).
  console.log(`Payway's purchase events to ${config.gatewayUrl}/webhooks/payway`);
  console.log('\n# The gateway beside them (SANDBOX unset), e.g. as an env file:');
  for (const [name, value] of gatewayEnvironment(config, running)) console.log(`${name}=${value}`);
  if (config.givenSecrets.length) console.log(`# and, as given to the sandboxes (values not shown): ${config.givenSecrets.join(', ')}`);
  console.log('Provider sandboxes ready (SIGTERM or Ctrl-C stops them)');

  const stop = (signal: string): void => {
    console.log(`Stopping the provider sandboxes (${signal})`);
    running.close().then(
      () => process.exit(0),
      (error: unknown) => {
        console.error('The provider sandboxes did not stop cleanly:', error instanceof Error ? error.message : error);
        process.exit(1);
      },
    );
  };
  process.once('SIGTERM', () => stop('SIGTERM'));
  process.once('SIGINT', () => stop('SIGINT'));
}

main().catch((error: unknown) => {
  console.error('The provider sandboxes could not start:', error instanceof Error ? error.message : error);
  process.exit(1);
});
