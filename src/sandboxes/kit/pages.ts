/**
 * The HTML shell of the sandboxes' pages (checkout, 3-D Secure, PSP): deliberately plain, enough
 * for a person to finish a flow in a browser during a demo and easy for tests to assert on. Each
 * sandbox keeps its pages' content; only the document around it and the escaping live here.
 */

export function escapeHtml(text: string): string {
  return text
    .replaceAll('&', '&amp;')
    .replaceAll('<', '&lt;')
    .replaceAll('>', '&gt;')
    .replaceAll('"', '&quot;')
    .replaceAll("'", '&#39;');
}

export interface PageShell {
  /** The document language. Default "en". */
  lang?: string;
  /** Width of the page's column, a CSS length. */
  maxWidth: string;
  /** CSS rules the sandbox's pages add to the shared ones, one or more lines. */
  extraStyle: string;
}

export function htmlPage(title: string, body: string, shell: PageShell): string {
  return `<!doctype html>
<html lang="${shell.lang ?? 'en'}">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${escapeHtml(title)}</title>
<style>
body { font-family: system-ui, sans-serif; max-width: ${shell.maxWidth}; margin: 2rem auto; padding: 0 1rem; }
.amount { font-size: 1.6rem; font-weight: 600; }
.error { color: #b00020; }
${shell.extraStyle}
</style>
</head>
<body>
${body}
</body>
</html>
`;
}
