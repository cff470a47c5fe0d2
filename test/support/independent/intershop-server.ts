/**
 * An Intershop ICM order REST API (v1) written from the seed alone
 * (`/work/shared/seeds/intershop-icm-order-rest-v1.txt`) and CONTRACT.md §8, by someone who never
 * saw the gateway's adapter or its sandbox: the "other people" of test/providers/intershop-independent.
 *
 * What it serves, under `/INTERSHOP/rest/WFS/inSPIRED-inTRONICS-Site/-` (the contract's INTERSHOP_URL):
 * - POST /orders {basket, termsAndConditionsAccepted} (§2.2; the body from contract §8)
 * - PATCH /orders/<id> {orderCreation: {status: CONTINUE, redirect: {...urls} | {status, parameters}}} (§2.2, §3.2.3, §3.2.4)
 * - GET /orders/<id> and GET /orders (§2.3: shown in prose only), GET /orders/<id>/payments (§3.1)
 * Nothing else: the seed has no capture, refund, cancel or webhook, so any other path is 404.
 *
 * What it assumes where the seed is silent, and the option that varies it (see
 * /work/tasks/intershop-seed-freedoms.md for the whole list):
 * - status codes: POST answers `createStatus` (201 by default, or 200); PATCH and GET 200.
 * - `Accept`: §2.1 says a v1 client "must set" the vnd type; `strictAccept` refuses others (406).
 *   Answers carry `contentType` (the vnd type by default, or plain JSON; '' sends no Content-Type).
 * - `included` only when `include=` asks for it, and on PATCH only with `includeOnPatch`
 *   (§3.2.3/§3.2.4 show PATCH answers without it); `unknownInclude: 'reject'` answers 400 for an
 *   include name the seed does not show.
 * - `totals` is elided in the seed (`{ ... }`): here it is `{}` unless `totals` gives one.
 * - payment amounts `{currency, value}` (§2.2) or `{gross: {currency, value}}` (§3.1): `amounts`.
 * - payment status words: upper case as §3.2.5's table (`AUTHORIZED`), capitalised as §2.2's
 *   `Unprocessed` (`Authorized`), or absent as in §3.1: `paymentWords`. A pending payment (the
 *   table's "AUTHORIZED (pending)") is written as `pendingPaymentWord`.
 * - after COMPLETED the order's statusCode is NEW (§3.2.5's table) or PENDING (§3.2.4's example): `completedStatusCode`.
 * - GET answers carry `orderCreation` only with `readsCarryCreation` (only POST/PATCH answers show it).
 * - a rolled-back order ("the basket restored") reads as PAYMENT_CANCELLED or is gone (404): `rolledBackRead`.
 * - PATCH answers the full order, or (`patchAnswer: 'thin'`) `data` with only the `orderCreation` block §2.2 shows (no id).
 * - `stopAction.type` as written (`Redirect`, `Workflow`) or upper case: `stopTypeCase`.
 * - the redirect URL as the seed prints it (`¤cy=USD`, `;pgid=...;sid=...`, another host), and
 *   also under `orderCreation.redirect.redirectUrl` as §3.2.3 has it: `redirectUrlTwice`.
 * - `infos` on a stop (`order.creation_stopped.info`) or not: `stopInfos`; ROLLED_BACK always has `order.cancelled.info`.
 * - errors `{errors: [{code, message, status, causes}]}` (contract §8), plain text, or empty: `errorBody`.
 * - the list (§2.3: "like baskets", no example): full orders in `data`, or entries with only `id`: `list`.
 * - `extraFields` adds fields no seed shows; `reverseKeys` writes every object's keys backwards.
 * - `honourInclude: false` answers no `included` anywhere (the amounts are then only in §3.1's
 *   payments resource); `openTenderId` names every order's payment `open-tender` (§3.2.3's data).
 * - `anotherStop`: §2.2 "the order creation is continued and may stop for another reason": after
 *   the return URLs the chain first stops (Workflow) for this exitReason, which no seed names;
 *   ICM itself clears it 300 ms later (as an approval would), then the PSP's page follows.
 *
 * Round two (test/providers/intershop-independent-2) adds:
 * - `nulls`: every field the seed leaves out of one state written as JSON `null` instead
 *   (a Java serializer's default: `"stopAction": null` on COMPLETED, `"exitReason": null` on a
 *   Redirect stop, `"orderCreation": null` on reads without the chain, `"status": null` on a
 *   payment without a word, `"infos": null`, `"included": null`...).
 * - `valuesAsStrings`: money values as JSON strings ("628.34").
 * - `paddedWords`: status words with surrounding spaces (" COMPLETED ", " AUTHORIZED ").
 * - `dateStyle`: creationDate as the seed (`+01:00`), without the colon (`+0100`, Java's `Z`
 *   pattern), without a zone (UTC, or the server's own wall clock west of it), or with milliseconds.
 * - `listPageSize`: the list honours `offset`/`limit` (at most this many) and says `info`.
 * - `loseNextAnswer(method, how)`: the next POST or PATCH is carried out, then its answer is lost
 *   (the connection reset, a 502 from a proxy, or an answer slower than the gateway waits), or
 *   arrives late (`late`: written at once, sent 700 ms later, within the gateway's wait).
 * - `moneyMoves`: every time an order's chain went on to the PSP's yes or no (completed,
 *   waiting, rolled back): what must happen once per order.
 * - `emptyObjects`: a block a state does not have written as `{}` (a Java object whose fields are all
 *   null, serialized without nulls): `"stopAction": {}` on COMPLETED and ROLLED_BACK, `"redirect": {}`,
 *   and `"orderCreation": {}` on reads without the chain (`readsCarryCreation: false`).
 * - `staleReads`: after a PATCH moved the chain, the next this many GETs of the order (alone or in
 *   the list) answer the state before it (a read served by another node of a cluster that has not
 *   seen the change yet; or a listing taken just before the PATCH landed).
 * - `strictRequests`: refuses a request a real ICM would not take: a body with fields of other
 *   types than the seed shows, a redirect parameter whose value is not a string, a PATCH whose
 *   status is not CONTINUE, a POST without a boolean termsAndConditionsAccepted.
 *
 * Round three (test/providers/intershop-independent-3) adds:
 * - `dateStyle: 'zone-id'`: a Java ZonedDateTime as it prints itself (`...+01:00[Europe/Berlin]`);
 *   `'epoch-millis'`: a java.util.Date as Jackson writes it by default (a JSON number of milliseconds).
 * - `listInfo: false`: the list is paged (`listPageSize`) but says no `info` block.
 * - `listIgnoresOffset`: the list honours `limit` (up to `listPageSize`, or any when that is null)
 *   but ignores `offset`: every page starts at the newest order.
 * - `infoMessages: false`: `infos` entries with their `code` only (no `message`; null with `nulls`),
 *   as a Java server writes an info whose text was not resolved.
 *
 * Round four (test/providers/intershop-independent-4) adds:
 * - `bodyType: 'v1'`: §2.1's "media-type-based versioning" read for request bodies too: a POST or
 *   PATCH body must be labelled `application/vnd.intershop.order.v1+json` (415 otherwise), as a
 *   JAX-RS resource with `@Consumes` of the v1 type answers (the seed shows no request type).
 * - `paymentWordAs`: the open tender's status word written as another (e.g. `{AUTHORIZATIONVOIDED:
 *   'FAILED'}`: a payment that failed has no authorization to void; `{UNPROCESSED: 'OPEN'}`): a
 *   word no seed shows.
 * - `secondRedirect`: the buyer's first SUCCESS stops the chain at a second Redirect with a new
 *   PSP URL (a 3-D Secure step; §2.2 "may stop for another reason", §3.2.5 "Redirect user to
 *   provided URL"), and only the second SUCCESS completes it.
 * - `rolledBackStatusCode: 'PENDING'`: a rolled-back order keeps statusCode PENDING, as §3.2.4's
 *   completed one does (`completedStatusCode`); its payment still says AUTHORIZATIONVOIDED.
 *   `'PAYMENT_CANCELED'`: spelled as §3.2.5's own note spells it ("the user canceled the payment").
 * - `resourceOpenTenderId`: the payments resource (§3.1) names the open tender `open-tender`, as
 *   its only example does, while the order's own answers name it by its id (§2.2's `lgAKAB2_...`).
 * - `strictQuery`: a query parameter the seed does not show (anything but `include`) is refused
 *   with 400: §2.3's list shows no paging, so `offset` / `limit` are among them.
 * - `doubleAmounts`: amounts computed and written as Java doubles (`Double.toString`), so the open
 *   tender beside a gift card is the basket's value minus the card's in binary floating point
 *   (59.97 - 19.99 = 39.980000000000004), as an implementer who keeps `value` a double writes it.
 * - `refuseIncludeOn`: `include` refused (400) where the seed shows none: on PATCH (§2.2/§3.2.3/§3.2.4
 *   write `PATCH /orders/<orderID>` and answers without `included`) and on the list (§2.3).
 * - `strictContinue`: a CONTINUE that does not answer the chain's current stop is refused (409 with
 *   the contract's error body): URLs once they are set, a redirect result while ICM waits for the
 *   PSP's notification. §2.2's end only promises a harmless CONTINUE once the chain is over, which
 *   is still answered with the final state.
 * - `relativeRedirectUrl`: the PSP page's URL without scheme and host (`/INTERSHOP/web/WFS/...`, on
 *   this ICM's own host, as a server behind a proxy that does not know its public name writes it;
 *   the seed's `http://<server>/...` leaves the host to the server).
 * - `readsLagCreate`: a new order answers its first this many GETs of the order itself with 404 (a
 *   node that has not seen the create yet), though the list already shows it.
 * - `loseNextAnswer(method, 500)`: the change is made, then answered 500 with the contract's error
 *   body (the server failed after the work was done).
 * - `patchAnswersContinue`: a PATCH is answered while the chain goes on (`"orderCreation":
 *   {"status": "CONTINUE"}`, the request's own word echoed, no stopAction); the change is made, and
 *   a read shows where the chain stopped. `postAnswersContinue`: the POST answers so too.
 * - `readsOmitRedirectUrl`: reads (GET of one order, the list) carry the chain but no PSP URL: it
 *   is made (with its session) for the PATCH that asks for the redirect, §3.2.3, and not again.
 * - `noList`: no GET /orders at all (405: /orders takes POST only); §2.3 describes the list in prose only.
 * - `list: 'id-strings'`: the list's `data` is an array of order ids, as the seed writes every
 *   other reference (`lineItems`, `payments`, `buckets`).
 *
 * Round five (test/providers/intershop-independent-5) adds:
 * - `readsKeepLastChain`: a GET (of one order, or the list) carries the `orderCreation` the last
 *   POST or PATCH answered: §2.2 calls it "the current state of the triggered creation process",
 *   a request's; what ICM does without a request (the PSP's notification, §3.2.4's "the order
 *   creation continues") shows in the order's statusCode and payments only.
 * - `readLagMs`: every read (GET of one order, the list, the payments resource) answers the order
 *   as it was this long ago, and 404 for one made since (another node, a search index that a write
 *   reaches a few hundred ms later); changes (POST, PATCH, the PSP's notification) are made at once.
 * - `rolledBackStatusCode: 'PAYMENTCANCELLED'`: run together, as §3.2.5 runs AUTHORIZATIONVOIDED.
 * - `backOffice(orderId, 'capture' | 'void')`: ICM's back office (or the PSP's) captures or voids
 *   a placed order's authorization later, without the gateway (the payment's word changes).
 * - `held(orderId)`: what ICM holds of the order's money, for the harness's closing money check.
 *
 * Round seven (test/providers/intershop-independent-7) adds:
 * - amounts in the basket currency's own decimals (JPY none, KWD three; before, every amount was
 *   rounded to two), and `held(orderId).capturedMinor` in that currency's minor units.
 * - `openTenderIdAfterPost`: the POST answer names the open tender by its id (§2.2's
 *   `lgAKAB2_...`), every later answer, read and listing `open-tender` (§3.2.3, §3.2.4, §3.1).
 *
 * Round six (test/providers/intershop-independent-6) adds:
 * - `openTenderFlag: false`: payments without `openTender` (§3.1's payments carry none; only
 *   §2.2's included payment shows it), the gift card's and the PSP's alike.
 * - `patchAnswer: 'thin-empty-lists'`: as 'thin', with the order's lists written empty
 *   (`"payments": []`, `"lineItems": []`, `"buckets": []`): a Java DTO whose lists start empty,
 *   only `orderCreation` filled in for the answer.
 * - `emptyStrings`: a string field the state has none of written `""` (a Java bean's empty
 *   default): `"exitReason": ""` on a Redirect stop, `"redirectUrl": ""` on a Workflow stop, a
 *   payment's `"status": ""` where it has no word (`paymentWords: 'absent'`), and a chain that
 *   has no stop (COMPLETED, ROLLED_BACK) with `"stopAction": {"exitReason": "", "redirectUrl": "", "type": ""}`;
 *   with `readsCarryCreation: false`, a read's `"orderCreation"` as `{"status": "", "stopAction": {...""}}`.
 *
 * Round eight (test/providers/intershop-independent-8) adds:
 * - `fulfil(orderId, statusCode)`: a placed order moves on in ICM's fulfilment (the back office, an
 *   export job): its statusCode becomes one of ICM's later order statuses (INPROGRESS, EXPORTED,
 *   DELIVERED, COMPLETED...; the Intershop PWA's order list filters by them), which no seed shows:
 *   §3.2.5 ends at NEW ("Final state. Order was created."), §2.3 lists every order of the user.
 * - `dateStyle: 'epoch-seconds'` / `'epoch-seconds-whole'` / `'local-array'`: creationDate as Jackson's
 *   JavaTimeModule writes a java.time value by default (WRITE_DATES_AS_TIMESTAMPS): an
 *   OffsetDateTime as epoch seconds with their fraction (a JSON number), or whole seconds; a
 *   LocalDateTime (ICM's wall clock, here +01:00) as `[year, month, day, hour, minute, second, nanos]`.
 * - `redirectExitReason`: a Redirect stop carries an `exitReason` too (this word), as one Java
 *   StopAction class with both fields writes the reason the chain stopped at the PSP's page
 *   (§2.2: "The attribute states that the creation was STOPPED and why"); the seed's Redirect
 *   stops show none.
 *
 * Round nine (test/providers/intershop-independent-9) adds:
 * - `stopTypes: false`: a stopAction without its `type`, as §3.2.5's table names each stop: by its
 *   "ExitReason = ..." (`{exitReason}`) or "RedirectUrl available" (`{redirectUrl}`) alone.
 * - `openStatusCode: 'CREATED'`: an order not placed yet (before the URLs, at the PSP's page,
 *   waiting for the PSP's notification) has statusCode CREATED, the first of CONTRACT §8's order
 *   statusCodes ("CREATED, PENDING, NEW, ..."), where the seed's examples write PENDING; with
 *   `rolledBackStatusCode: 'PENDING'` a rolled-back order keeps that code (its payment voided).
 * - `errorBody: 'int-status'`: the contract's error body with its `status` a JSON number (a Java
 *   `int` field; CONTRACT §8 names the fields, not their types).
 * - `basketOrderedAgain: 'existing-order'`: a POST of a basket ICM has already made an order of
 *   (not rolled back) is answered 200 with that order as it stands, as an idempotent create keyed
 *   by the basket does; it makes nothing and moves no money. The seed does not say what a second
 *   POST of an ordered basket gets; by default it is refused (400 `basket.not_found.error`).
 *
 * Round ten (test/providers/intershop-independent-10) adds:
 * - `unknownInclude: 'reject-after-create'`: an include name the seed does not show is refused
 *   (400 `include.invalid`) when the answer is written, after the work: a POST has made the order
 *   (and moved its money) by then, as a JAX-RS resource whose includes are resolved while its
 *   answer is built does. GET and PATCH refuse it before, as 'reject'.
 * - `failedCreationStatus`: a POST whose chain fails inside it (a direct payment the PSP declines),
 *   or a PATCH on which it fails (the buyer's CANCEL or FAILURE from the PSP's page), is answered with this HTTP status and the contract's error body (`order.creation.failed`)
 *   instead of the ROLLED_BACK order; the order is rolled back and its basket restored all the
 *   same (§3.2.5), so the basket can be ordered again. §2.2 says the chain runs "until the order
 *   creation is completed successfully (or if it fails)" and shows no failed answer. With
 *   `failedCreationBody: 'order'` the error status carries the rolled-back order itself (its
 *   ROLLED_BACK chain and `order.cancelled.info`) rather than an error body.
 *
 * Round eleven (test/providers/intershop-independent-11) adds:
 * - `valuesAsStrings: 'java-double'`: money values as strings the way Java writes a double
 *   (`Double.toString`, as Jackson's WRITE_NUMBERS_AS_STRINGS does): `25.0`, the binary noise of
 *   `doubleAmounts` (`"39.980000000000004"`), and scientific notation from 10^7 up (`"1.23456789E7"`).
 *
 * Round twelve (test/providers/intershop-independent-12) adds:
 * - `patchNoContent`: every PATCH that ICM takes is answered 204 without a body (a JAX-RS resource
 *   method returning void): the seed shows PATCH answers with the order, and promises no body.
 *   Beside `rolledBackRead: 'not-found'` (the Intershop PWA's order service: "If cancel/failure is
 *   sent back as redirect status, the order doesn't exist any more"), the buyer's CANCEL or
 *   FAILURE leaves nothing to read.
 * - `rolledBackChainWord`: the chain of a creation that failed (the PSP's no, the buyer's CANCEL or
 *   FAILURE, a direct payment declined in the POST) written with this word instead of ROLLED_BACK
 *   (`FAILED`: §2.2 "until the order creation is completed successfully (or if it fails)"; the
 *   contract's own OrderCreationStatus has FAILED); its `order.cancelled.info`, statusCode
 *   (`rolledBackStatusCode`) and AUTHORIZATIONVOIDED payment as before.
 * - `createNoContent`: a POST that made the order is answered 201 with the order's URL in
 *   `Location` and no body (a JAX-RS `Response.created(uri)`), where §2.2 shows the order.
 * - `listMaxLimit`: the list (paged with `listPageSize`, its default page) refuses a `limit` above
 *   this with 400, as a validated query parameter (`@Max`) is refused.
 *
 * Round thirteen (test/providers/intershop-independent-13) adds:
 * - `statusCodeField: false`: an order says its status in `status` alone (`"Pending"`, `"New"`,
 *   `"Payment cancelled"`, as §2.2 writes the field beside `statusCode`), with no `statusCode`:
 *   §3.2.5's table heads the column of NEW / PAYMENT_CANCELLED / PENDING "Order Status".
 *
 * Round fourteen (test/providers/intershop-independent-14) adds:
 * - `goneStatus: 410`: beside `rolledBackRead: 'not-found'`, a rolled-back order that is gone is
 *   answered `410 Gone` (the status HTTP has for "no longer there", the Intershop PWA's "the order
 *   doesn't exist any more"), on GET and PATCH alike, where round twelve's answers 404. An id ICM
 *   never had is still 404.
 *
 * Round fifteen (test/providers/intershop-independent-15) adds:
 * - `addBasket(0, currency, {free: true})`: a basket nothing pays (a promotion makes it free) is
 *   placed at once with no payment at all: `"payments": []`, §3.1's payments resource lists none
 *   (its "list of (limited and open tender) payments used to pay the order" is empty), and the
 *   totals stay elided as ever. Such an order holds all it owes (`held`: reserved, nothing captured).
 *   (Round fifteen also runs the existing `paymentWordAs: {UNPROCESSED: 'PENDING'}`: the payment
 *   before the PSP written PENDING, as §3.2.5's table writes it at the URLs' stop and the PSP's page.)
 *
 * Round sixteen (test/providers/intershop-independent-16) adds:
 * - `turnAway(call, status)`: the next POST, PATCH or list read is turned away before any work with
 *   this status (429 Too Many Requests by default: a rate limit in ICM or its web tier) and the
 *   contract's error body (`errorBody`), as a server asking the client to come back later answers.
 * - `seeOther`: a POST that made the order, or a PATCH that ICM took, is answered `303 See Other`
 *   with the order's URL in `Location` and no body (POST/Redirect/GET, a JAX-RS
 *   `Response.seeOther(uri)`); the seed shows the order in the answer, and no status code at all.
 * - `locationHost: 'internal'`: the `Location` of a 201 (`createNoContent`) or 303 names ICM's own
 *   host, as the seed's `links.self` does (`http://jrwilms01:10080/INTERSHOP/rest/...`), not the
 *   address the gateway calls.
 *
 * Round seventeen (test/providers/intershop-independent-17) adds:
 * - `clockOffsetMs`: ICM's own clock runs this far from the real one (negative: behind, a host
 *   whose NTP sync failed): every `creationDate` is written from it, and every answer's HTTP `Date`
 *   header (RFC 9110 §6.6.1: an origin server with a clock sends one) says it too.
 *   `dateHeader: false` sends no `Date` at all (a server "without a clock", or a proxy dropping it).
 * - `documentNumberAs: 'long'`: `documentNumber` written as a JSON number (a Java `long` field),
 *   where §2.2 shows the zero-padded string `"00000001"`: `1001` rather than `"00001001"`.
 * - `bodyCharset: 'iso-8859-1'`: JSON answers encoded in ISO-8859-1 and labelled so (`;charset=ISO-8859-1`),
 *   as a Java servlet container whose response encoding was left at its old default writes them,
 *   with the infos' messages in German (ä, ö, ü, ß); `gzipBodies`: every JSON answer compressed
 *   (`Content-Encoding: gzip`) whether or not the request said it accepts it (a web tier that
 *   compresses by content type). The seed says nothing of either.
 *
 * Round eighteen (test/providers/intershop-independent-18) adds:
 * - `moved`: the web tier in front of ICM answers requests at the REST base the gateway is
 *   configured with (the seed's `/INTERSHOP/rest/WFS/inSPIRED-inTRONICS-Site/-`) with a redirect to
 *   the same path and query under another base (`ICM_MOVED_BASE_PATH`, the application's context
 *   path renamed), for the `methods` named: `status` 301, 302, 307 or 308, `Location` absolute on
 *   this host (`to: 'own'`), written as a path alone (`to: 'path'`), or on another origin
 *   (`movedOrigin`, a host the test serves). The new base serves as the old did. The seed shows
 *   where ICM's REST lives only in its examples' `links.self` and says nothing of redirects.
 * - `connectionClose`: every answer says `Connection: close` and the socket is closed after it (a
 *   web tier without keep-alive towards its clients).
 * - `loseNextAnswer(method, 503)`: the change is made, then the web tier answers `503 Service
 *   Unavailable` with `Retry-After: 1` and an HTML page (its own timeout towards ICM, after ICM had
 *   done the work); `turnAway(call, 503)` answers so before any work (`Retry-After` too).
 * - `seeOtherStatus: 302`: `seeOther`'s POST/Redirect/GET written `302 Found`, as a Java servlet's
 *   `HttpServletResponse.sendRedirect` writes it (the commonest PRG of a Java web tier).
 *
 * Round nineteen (test/providers/intershop-independent-19) adds:
 * - `orderedBasket`: an order whose basket is gone (turned into the order: `from: 'ordered'`, every
 *   order not rolled back; or once it is placed, `from: 'placed'`, COMPLETED alone) writes its
 *   `basket` as `null` (a Java DTO whose reference resolves to no basket), `""` or not at all
 *   (`as`), in every answer (POST, PATCH, reads, the list). A rolled-back order's basket is restored
 *   (§3.2.5) and named as before. §2.2 and §3.2.3/§3.2.4 show `basket` in POST and PATCH answers
 *   and say nothing of it once the basket has become the order.
 *
 * - `emptyListsAsNull`: every list that has nothing written `null` rather than `[]` (a Java
 *   collection field left null, as Jackson writes it without NON_EMPTY): a free order's `payments`
 *   (round fifteen), the list (`data`) of a user with no orders, the payments resource of a free order.
 *
 * Round twenty-one (test/providers/intershop-independent-21) adds:
 * - `idAlphabet`: the ids ICM makes (orders, payments, baskets) drawn from another alphabet than the
 *   seed's examples show (`onUKAB2_eAQAAAFuFztdhmTy`, `jUIKAB2_X.wAAAFrcP44a5lI`: letters, digits,
 *   `_`, `.`; `open-tender`): `'base64'` is standard Base64 (`+`, `/`, `=`: a UUID's bytes encoded
 *   with java.util.Base64.getEncoder() rather than ICM's own alphabet), `'wide'` adds `%`, a space
 *   and a non-ASCII letter (an id made of a readable key). The seed says nothing of the alphabet.
 *   Paths carry an id as one percent-encoded segment (decoded here), `Location` encodes it.
 * - `onListPage`: called (and awaited) before a list page asked at an `offset` above 0 is written:
 *   the test changes ICM there (the storefront places orders, the PSP declines one at its page and
 *   ICM's rolled-back orders are gone), as happens while a client reads a paged list page by page.
 *   §2.3 says the list is newest first and nothing of how its pages hold still.
 *
 * Round twenty-two (test/providers/intershop-independent-22) adds:
 * - `accepted`: the writes named in `on` (the POST that makes the order, the PATCHes that continue
 *   it) answered `202 Accepted` once ICM made the order or went on with the chain (a JAX-RS
 *   `Response.accepted(entity)`, an async servlet, or a gateway in front that queues writes), with
 *   the order as its body (`body: 'order'`) or none and no `Location` (`body: 'none'`). The seed
 *   shows the answers' bodies only, no status code at all. `body: 'before'` (PATCH only): the body
 *   is the order as it was when the PATCH was accepted, before it was carried out (RFC 9110
 *   §15.3.3: 202 says the processing "has not been completed"); the change is made all the same.
 *
 * Round twenty-three (test/providers/intershop-independent-23) adds:
 * - `errorsInOk`: every error this ICM answers to the requests named in `methods` (a refusal, a
 *   creation failed in its chain, an order gone, an include refused after the work, its own failure
 *   after the work: whatever `fail` writes, and `loseNextAnswer(method, 500)`) is written with
 *   `200 OK`, the error body (`{errors: [{code, message, status, causes}]}`, CONTRACT §8) as it was,
 *   as a framework that never sets the response's status writes it (an exception mapper returning
 *   an entity, a servlet filter that commits 200). `status: 'said'`: the error's own `status` still
 *   says the HTTP status it stands for; `'unsaid'`: the error carries none (nothing set one). The
 *   seed shows no error and no status code at all. Only with `errorBody: 'contract'` or `'int-status'`.
 * - `dateStyle: 'nanos'`: creationDate as an OffsetDateTime prints itself with its nanoseconds
 *   (`2019-11-13T14:27:06.123456789+01:00`), nine digits of fraction where the seed writes none.
 *
 * Round twenty-four (test/providers/intershop-independent-24) adds:
 * - `conditionalPatch`: optimistic locking the seed does not show. Every answer that carries one
 *   order (its read, the POST's and the PATCHes' answers) says the order's version in an `ETag`
 *   (`etag: 'strong'` `"v7"`, or `'weak'` `W/"v7"`, as a servlet filter hashing the body or a JPA
 *   `@Version` writes it; `'none'`: no tag anywhere, a PATCH can never be made conditional), and a PATCH must name the version it was made from in `If-Match`:
 *   without one it is refused `428 Precondition Required` (RFC 6585 §3), with one that is not the
 *   order's current version `412 Precondition Failed` (RFC 9110 §13.1.1), before any work, with
 *   ICM's error body or (`refusal: 'problem'`) an RFC 9457 problem (`application/problem+json`, as
 *   Spring's ProblemDetail writes it). The seed shows `PATCH /orders/<orderID>` with no header but
 *   `Accept` and no status code at all. The version moves with every change, the PSP's
 *   notification to ICM included. `beforePrecondition` is called (and awaited) with the order's id
 *   before a PATCH's `If-Match` is compared: the test changes ICM there (the PSP's notification
 *   arriving while the buyer's return is on its way).
 * - `okStatus`: a 2xx other than ICM's own for the answers named (`203 Non-Authoritative
 *   Information` from a transforming proxy, with the body; `205 Reset Content`, without one), and
 *   `bomBodies`: every JSON answer starting with a UTF-8 byte order mark (a .NET or Windows proxy
 *   re-encoding it), labelled `contentType` as set (e.g. `text/plain`).
 *
 * Round twenty-five (test/providers/intershop-independent-25) adds:
 * - `idAlphabet: 'digits'` / `'long-digits'`: the ids ICM makes (orders, payments, baskets) are
 *   numbers (a database sequence; a Java `Long` from a snowflake generator, 19 digits, beyond 2^53),
 *   written as strings unless `scalars` says otherwise. The seed shows strings of letters.
 * - `scalars`: how the JSON writer types the scalars, as JAX-RS's JAXB JSON providers do:
 *   `'by-content'` (Jettison's mapped convention with its DefaultConverter: a string value that
 *   reads as a number is written as a JSON number, so numeric ids, `buckets: [0]`, are bare numbers;
 *   a number with a leading zero stays a string: JSON has none), `'strings'` (the mapped convention
 *   without type inference: every number and boolean written as a string, `"openTender": "true"`,
 *   `"value": "628.34"`, `"total": "3"`). Object keys stay as they are. The seed writes ids as
 *   strings and booleans and amounts as JSON values, and says nothing of the writer.
 * - `dateStyle: 'minutes'`: creationDate as Java's OffsetDateTime.toString() prints a time
 *   truncated to the minute (`2019-11-13T14:27+01:00`: no seconds at all).
 *
 * Round twenty-six (test/providers/intershop-independent-26) adds:
 * - `lineItems`: the order's lines in `included.lineItems` when `lineItems` is asked (before, this
 *   ICM ignored the include and named one line id no answer carried). The seed shows no line item at
 *   all (only ids in `data.lineItems`); they are written as ICM's basket REST v1 writes them
 *   (`{id, position, product, quantity: {value}, pricing: {singleBasePrice, total}}`), `count` lines
 *   of `quantity` each whose totals add up to the basket's value (the last takes the remainder), the
 *   unit price the line's total divided by the quantity, written with `unitPriceDecimals` decimals
 *   (a B2B price list's scale: 4) where the currency's own would not hold it. With `scalars:
 *   'strings'` the quantity and position are strings too (round twenty-five's leftover).
 * - `backlog`: the user already has this many older orders (the storefront's, placed before the
 *   test, completed and captured, 10.00 in the basket's default currency), listed after every
 *   order the test makes (§2.3: newest first). A gateway with one technical user sees every order
 *   of the shop in its "user's" list: thousands. A paged list builds only the page asked.
 * - `amountScale`: with `valuesAsStrings: true`, amounts written at this many decimals whatever the
 *   currency's (a BigDecimal of scale 4 as `"628.3400"`, JPY as `"1500.00"`; the seed shows USD at two).
 *
 * Round twenty-seven (test/providers/intershop-independent-27) adds:
 * - `dateStyle: 'java-date'` / `'java-date-utc'` / `'java-date-cst'`: creationDate as a
 *   java.util.Date prints itself (`Wed Nov 13 14:27:06 CET 2019`), in the JVM's zone (Europe/Berlin,
 *   UTC, or Asia/Shanghai, which Java names `CST`); `'rfc1123'`: DateTimeFormatter.RFC_1123_DATE_TIME
 *   (`Wed, 13 Nov 2019 13:27:06 GMT`).
 * - `currencyAs`: every `currency` and `purchaseCurrency` as ISO 4217's number (`840`, a JSON
 *   number; `'numeric-string'`: `"840"`, `"036"`), in lower case (`"usd"`), or ISO's `999` (XXX,
 *   "no currency"). The seed writes `"USD"` and says nothing of the type.
 *
 * Round twenty-eight (test/providers/intershop-independent-28) adds:
 * - `signedNumbers`: every amount, `info` count and line quantity / position written as a string
 *   with an explicit `+` sign (`"+628.34"`, `"+50"`; a java.text.DecimalFormat with a positive
 *   prefix, `+#0.00;-#0.00`, as an XmlAdapter for BigDecimal), `'plus-zeros'` zero-padded as well
 *   (`"+00000628.34"`, a fixed-width ERP export format), `'zeros'` zero-padded without the sign;
 *   an error body's `status` too (`"+400"`).
 *   The seed writes JSON numbers and says nothing of the writer.
 * - `turkishCasing`: ICM's words cased on a JVM whose default locale is Turkish (`-Duser.language=tr`;
 *   String#toLowerCase() / #toUpperCase() without a Locale): `'lower'`, a word written in lower
 *   case from its enum constant (`name().toLowerCase()`: `redırect_urls_requıred`, `Redırect`,
 *   `Unprocessed`) has the dotless `ı` for every `i`; `'upper'`, a word upper-cased from its display
 *   form (`"Pending".toUpperCase()`: `PENDİNG`, `AUTHORİZED`) has the dotted `İ` for every `I`;
 *   `'both'`. The seed writes ASCII words and says nothing of how they are made.
 *
 * Round twenty-nine (test/providers/intershop-independent-29) adds:
 * - `settlementCurrency`: the open tender's payment amounts in the PSP's settlement currency (dynamic
 *   currency conversion: the buyer's card charged in EUR for a USD basket) at `rate`: `'total'`, its
 *   `totalAmount` alone (`baseAmount`, the share of the basket it pays, stays in the purchase
 *   currency); `'both'`, `baseAmount` too. `costs`: the payment's costs (`paymentCosts`, in the
 *   purchase currency), which `totalAmount` includes. The gift card and `purchaseCurrency` stay the
 *   basket's. The seed writes every amount in USD and says nothing of a payment in another currency.
 *
 * The PSP is not served: the test plays the buyer with `buyerReturns` (the redirect back to the
 * shop's URL, with parameters) and the PSP's notification to ICM with `pspNotifies`.
 */
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { gzipSync } from 'node:zlib';

export const ICM_BASE_PATH = '/INTERSHOP/rest/WFS/inSPIRED-inTRONICS-Site/-';
/** Where `moved` sends requests: the same site's REST under a renamed context path (round eighteen). */
export const ICM_MOVED_BASE_PATH = '/icm/rest/WFS/inSPIRED-inTRONICS-Site/-';
export const ICM_V1_TYPE = 'application/vnd.intershop.order.v1+json';
/** The infos' messages of an ICM answering in German (`bodyCharset: 'iso-8859-1'`): letters ISO-8859-1 has and ASCII has not. */
export const GERMAN_STOPPED = 'Der Bestellvorgang ist noch nicht abgeschlossen; die Zahlung läuft über Ihren Zahlungsdienstleister (Grüße aus Jena, Schöne Tage).';
export const GERMAN_CANCELLED = 'Die Bestellung wurde storniert: Zahlung abgebrochen, der Warenkorb ist für Sie wiederhergestellt (Größe und Menge unverändert).';

export interface IcmServerOptions {
  createStatus: 200 | 201;
  strictAccept: boolean;
  contentType: string;
  includeOnPatch: boolean;
  unknownInclude: 'ignore' | 'reject' | 'reject-after-create';
  totals: Record<string, unknown>;
  amounts: 'flat' | 'gross';
  paymentWords: 'upper' | 'capitalised' | 'absent';
  pendingPaymentWord: string;
  completedStatusCode: 'NEW' | 'PENDING';
  readsCarryCreation: boolean;
  rolledBackRead: 'order' | 'not-found';
  patchAnswer: 'full' | 'thin' | 'thin-empty-lists';
  stopTypeCase: 'seed' | 'upper';
  redirectUrlTwice: boolean;
  stopInfos: boolean;
  errorBody: 'contract' | 'text' | 'empty' | 'int-status';
  list: 'full' | 'ids' | 'id-strings';
  extraFields: boolean;
  reverseKeys: boolean;
  honourInclude: boolean;
  openTenderId: boolean;
  anotherStop: string | null;
  nulls: boolean;
  valuesAsStrings: boolean | 'java-double';
  paddedWords: boolean;
  dateStyle: 'seed' | 'no-colon' | 'no-zone' | 'no-zone-west' | 'millis' | 'nanos' | 'minutes' | 'zone-id' | 'epoch-millis' | 'epoch-seconds' | 'epoch-seconds-whole' | 'local-array' | 'java-date' | 'java-date-utc' | 'java-date-cst' | 'rfc1123';
  listPageSize: number | null;
  listInfo: boolean;
  listIgnoresOffset: boolean;
  infoMessages: boolean;
  strictRequests: boolean;
  emptyObjects: boolean;
  staleReads: number;
  bodyType: 'json' | 'v1';
  paymentWordAs: Record<string, string>;
  secondRedirect: boolean;
  rolledBackStatusCode: 'PAYMENT_CANCELLED' | 'PAYMENT_CANCELED' | 'PAYMENTCANCELLED' | 'PENDING';
  resourceOpenTenderId: boolean;
  strictQuery: boolean;
  doubleAmounts: boolean;
  refuseIncludeOn: ('PATCH' | 'list')[];
  strictContinue: boolean;
  relativeRedirectUrl: boolean;
  readsLagCreate: number;
  patchAnswersContinue: boolean;
  postAnswersContinue: boolean;
  readsOmitRedirectUrl: boolean;
  noList: boolean;
  readsKeepLastChain: boolean;
  readLagMs: number;
  openTenderFlag: boolean;
  emptyStrings: boolean;
  openTenderIdAfterPost: boolean;
  redirectExitReason: string | null;
  stopTypes: boolean;
  openStatusCode: 'PENDING' | 'CREATED';
  basketOrderedAgain: 'refuse' | 'existing-order';
  failedCreationStatus: number | null;
  failedCreationBody: 'errors' | 'order';
  patchNoContent: boolean;
  rolledBackChainWord: string;
  createNoContent: boolean;
  listMaxLimit: number | null;
  statusCodeField: boolean;
  goneStatus: 404 | 410;
  seeOther: ('POST' | 'PATCH')[];
  locationHost: 'own' | 'internal';
  clockOffsetMs: number;
  dateHeader: boolean;
  documentNumberAs: 'string' | 'long';
  bodyCharset: 'utf-8' | 'iso-8859-1';
  gzipBodies: boolean;
  moved: { status: 301 | 302 | 307 | 308; methods: ('GET' | 'POST' | 'PATCH')[]; to: 'own' | 'path' | 'other' } | null;
  /** The origin a redirect names with `moved.to: 'other'` (a host the test serves). */
  movedOrigin: string;
  connectionClose: boolean;
  seeOtherStatus: 302 | 303;
  orderedBasket: { as: 'null' | 'empty' | 'absent'; from: 'placed' | 'ordered' } | null;
  emptyListsAsNull: boolean;
  idAlphabet: 'seed' | 'base64' | 'wide' | 'digits' | 'long-digits';
  onListPage: ((offset: number) => Promise<void>) | null;
  accepted: { on: ('POST' | 'PATCH')[]; body: 'order' | 'none' | 'before' } | null;
  errorsInOk: { methods: ('POST' | 'PATCH' | 'GET')[]; status: 'said' | 'unsaid' } | null;
  conditionalPatch: { etag: 'strong' | 'weak' | 'none'; refusal: 'errors' | 'problem' } | null;
  beforePrecondition: ((orderId: string) => Promise<void> | void) | null;
  okStatus: { POST?: 200 | 201 | 203 | 205; PATCH?: 200 | 203 | 205; GET?: 200 | 203 } | null;
  bomBodies: boolean;
  scalars: 'typed' | 'by-content' | 'strings';
  lineItems: { count: number; quantity: number; unitPriceDecimals: number } | null;
  backlog: number;
  amountScale: number | null;
  currencyAs: 'alpha' | 'numeric' | 'numeric-string' | 'lower' | 'numeric-unknown';
  signedNumbers: 'plus' | 'plus-zeros' | 'zeros' | null;
  turkishCasing: 'lower' | 'upper' | 'both' | null;
  settlementCurrency: { currency: string; rate: number; amounts: 'total' | 'both'; costs?: number } | null;
}

export const SEED_DEFAULTS: IcmServerOptions = {
  createStatus: 201,
  strictAccept: true,
  contentType: ICM_V1_TYPE,
  includeOnPatch: true,
  unknownInclude: 'ignore',
  totals: {},
  amounts: 'flat',
  paymentWords: 'upper',
  pendingPaymentWord: 'AUTHORIZED',
  completedStatusCode: 'NEW',
  readsCarryCreation: true,
  rolledBackRead: 'order',
  patchAnswer: 'full',
  stopTypeCase: 'seed',
  redirectUrlTwice: false,
  stopInfos: true,
  errorBody: 'contract',
  list: 'full',
  extraFields: false,
  reverseKeys: false,
  honourInclude: true,
  openTenderId: false,
  anotherStop: null,
  nulls: false,
  valuesAsStrings: false,
  paddedWords: false,
  dateStyle: 'seed',
  listPageSize: null,
  listInfo: true,
  listIgnoresOffset: false,
  infoMessages: true,
  strictRequests: false,
  emptyObjects: false,
  staleReads: 0,
  bodyType: 'json',
  paymentWordAs: {},
  secondRedirect: false,
  rolledBackStatusCode: 'PAYMENT_CANCELLED',
  resourceOpenTenderId: false,
  strictQuery: false,
  doubleAmounts: false,
  refuseIncludeOn: [],
  strictContinue: false,
  relativeRedirectUrl: false,
  readsLagCreate: 0,
  patchAnswersContinue: false,
  postAnswersContinue: false,
  readsOmitRedirectUrl: false,
  noList: false,
  readsKeepLastChain: false,
  readLagMs: 0,
  openTenderFlag: true,
  emptyStrings: false,
  openTenderIdAfterPost: false,
  redirectExitReason: null,
  stopTypes: true,
  openStatusCode: 'PENDING',
  basketOrderedAgain: 'refuse',
  failedCreationStatus: null,
  failedCreationBody: 'errors',
  patchNoContent: false,
  rolledBackChainWord: 'ROLLED_BACK',
  createNoContent: false,
  listMaxLimit: null,
  statusCodeField: true,
  goneStatus: 404,
  seeOther: [],
  locationHost: 'own',
  clockOffsetMs: 0,
  dateHeader: true,
  documentNumberAs: 'string',
  bodyCharset: 'utf-8',
  gzipBodies: false,
  moved: null,
  movedOrigin: 'http://127.0.0.1:9',
  connectionClose: false,
  seeOtherStatus: 303,
  orderedBasket: null,
  emptyListsAsNull: false,
  idAlphabet: 'seed',
  onListPage: null,
  accepted: null,
  errorsInOk: null,
  conditionalPatch: null,
  beforePrecondition: null,
  okStatus: null,
  bomBodies: false,
  scalars: 'typed',
  lineItems: null,
  backlog: 0,
  amountScale: null,
  currencyAs: 'alpha',
  signedNumbers: null,
  turkishCasing: null,
  settlementCurrency: null,
};

/** How a basket is paid: a redirect PSP without URLs yet (§2.2), one whose URLs came with the payment (§3.2.2), or none (cash on delivery, §3.1). */
export type BasketPayment = 'redirect' | 'redirect-with-urls' | 'direct';

interface Basket {
  id: string;
  value: number;
  currency: string;
  payment: BasketPayment;
  /** The PSP takes the money at once (CAPTURED) rather than reserving it (AUTHORIZED). */
  capture: boolean;
  /** The PSP answers the return "pending" and notifies ICM later (waiting_for_pending_payments). */
  async: boolean;
  /** Paid without a redirect, the PSP declines at once: the chain rolls back in the POST itself. */
  declined: boolean;
  /** A limited tender (§3.1: a gift card) paying this much, taken at checkout; the open tender pays the rest. */
  giftCard: number;
  /** Nothing to pay (round fifteen: a basket a promotion makes free): placed at once, with no payment at all. */
  free: boolean;
  ordered: boolean;
}

type Stage = 'urls_required' | 'other_stop' | 'at_psp' | 'waiting' | 'completed' | 'rolled_back';

interface IcmOrder {
  id: string;
  documentNumber: string;
  basket: Basket;
  creationDate: string;
  stage: Stage;
  redirect?: { successUrl: string; cancelUrl: string; failureUrl: string };
  paymentId: string;
  /** The gift card's id once the open tender is renamed (`openTenderIdAfterPost`). */
  giftId?: string;
  /** Upper-case word of §3.2.5 (UNPROCESSED before the PSP). */
  paymentWord: string;
  /** How many Redirect stops the buyer has come back from (`secondRedirect`). */
  returns: number;
  /** GETs of the order still to answer 404 (`readsLagCreate`). */
  lagging: number;
  /** The stage the last POST or PATCH answered (`readsKeepLastChain`). */
  answered: Stage;
  /** The statusCode ICM's fulfilment gave the placed order (`fulfil`). */
  fulfilment?: string;
}

export interface RecordedCall {
  method: string;
  path: string;
  accept: string | undefined;
  contentType: string | undefined;
  body: string;
  /** The request's `If-Match` (round twenty-four's `conditionalPatch`). */
  ifMatch?: string | undefined;
}

export interface IcmServer {
  /** The INTERSHOP_URL to configure: the site's REST base up to `/-`. */
  readonly url: string;
  readonly authToken: string;
  /** Every call, oldest first (path relative to the REST base). */
  readonly calls: RecordedCall[];
  options: IcmServerOptions;
  addBasket(value: number, currency?: string, how?: { payment?: BasketPayment; capture?: boolean; async?: boolean; giftCard?: number; declined?: boolean; free?: boolean }): string;
  /** The buyer comes back from the PSP: the parameters the shop's return URL carries. */
  buyerReturns(orderId: string): { name: string; value: string }[];
  /** The PSP tells ICM the outcome of a payment (the "with notification" workflow, §3.2.1). */
  pspNotifies(orderId: string, outcome: 'paid' | 'failed'): void;
  stageOf(orderId: string): Stage | undefined;
  /**
   * What ICM holds of the order's money: whether its PSP payment is reserved (the order placed,
   * the open tender AUTHORIZED or CAPTURED), whether it is CAPTURED, and the cents captured in all
   * (a gift card's too, until a rollback voids it).
   */
  held(orderId: string): { reserved: boolean; captured: boolean; capturedCents: number; capturedMinor: number } | undefined;
  /** ICM's back office captures or voids a placed order's authorization (see the header). */
  backOffice(orderId: string, action: 'capture' | 'void'): void;
  /** ICM's fulfilment moves a placed order on: its statusCode becomes `statusCode` (round eight, see the header). */
  fulfil(orderId: string, statusCode: string): void;
  /** The next `call` (POST /orders, a PATCH, or GET /orders) is turned away before any work with `status` (see the header). */
  turnAway(call: 'POST' | 'PATCH' | 'list', status?: number): void;
  /** The next POST /orders is carried out, but its answer never arrives (the connection drops). */
  loseNextCreateAnswer(): void;
  /** The next call of `method` is carried out, then its answer is lost (see the header). */
  loseNextAnswer(method: 'POST' | 'PATCH', how: 'reset' | 500 | 502 | 503 | 'slow' | 'late'): void;
  /** Requests the web tier redirected (`moved`), as `METHOD path` (at the configured base). */
  readonly redirected: string[];
  /** Order id -> how many times its chain went on to the PSP's outcome (see the header). */
  readonly moneyMoves: Map<string, number>;
  /** What `strictRequests` refused, as `METHOD path: why`. */
  readonly refusals: string[];
  close(): Promise<void>;
}

/**
 * The decimals of an ISO 4217 currency (round seven): the seed shows USD only, and ICM's money is
 * the basket's, in any currency the site sells in (JPY without decimals, KWD with three).
 */
/** ISO 4217's numbers of the currencies the tests sell in (round twenty-seven's `currencyAs`). */
const ISO_NUMERIC: Record<string, number> = { USD: 840, EUR: 978, JPY: 392, KWD: 414, NOK: 578, SEK: 752, AUD: 36 };

const WEEKDAYS = ['Sun', 'Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat'];
const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];

/** Europe/Berlin's offset at an instant: +2 from the last Sunday of March to the last of October (01:00 UTC), else +1. */
function berlinOffsetHours(ms: number): number {
  const year = new Date(ms).getUTCFullYear();
  const lastSunday = (month: number) => {
    const last = new Date(Date.UTC(year, month + 1, 0));
    return Date.UTC(year, month, last.getUTCDate() - last.getUTCDay(), 1);
  };
  return ms >= lastSunday(2) && ms < lastSunday(9) ? 2 : 1;
}

/** java.util.Date#toString: `EEE MMM dd HH:mm:ss zzz yyyy` in a zone `offsetHours` east of UTC, named `zone`. */
function javaDateToString(ms: number, offsetHours: number, zone: string): string {
  const at = new Date(ms + offsetHours * 3_600_000);
  const day = String(at.getUTCDate()).padStart(2, '0');
  return `${WEEKDAYS[at.getUTCDay()]} ${MONTHS[at.getUTCMonth()]} ${day} ${at.toISOString().slice(11, 19)} ${zone} ${at.getUTCFullYear()}`;
}

function decimalsOf(currency: string): number {
  if (['JPY', 'KRW', 'ISK', 'CLP', 'VND'].includes(currency)) return 0;
  if (['KWD', 'BHD', 'JOD', 'OMR', 'TND'].includes(currency)) return 3;
  return 2;
}

/**
 * A double as Java's `Double.toString` writes it, which is what Jackson's WRITE_NUMBERS_AS_STRINGS
 * (or a ToStringSerializer) puts in the string: `25.0` for a whole value, the shortest digits that
 * read back as the double (39.980000000000004), and computerized scientific notation from 10^7 up
 * (`1.23456789E7`) or below 10^-3.
 */
function javaDoubleString(value: number): string {
  const magnitude = Math.abs(value);
  if (magnitude !== 0 && (magnitude >= 1e7 || magnitude < 1e-3)) {
    const [mantissa = '', exponent = ''] = value.toExponential().split('e');
    return `${mantissa.includes('.') ? mantissa : `${mantissa}.0`}E${Number(exponent)}`;
  }
  const written = String(value);
  return written.includes('.') ? written : `${written}.0`;
}

const roundTo = (value: number, places: number) => Math.round(value * 10 ** places) / 10 ** places;

/** The string fields a state may leave out, written `""` with `emptyStrings`. */
const STRING_FIELDS = new Set(['exitReason', 'redirectUrl', 'status']);

const KNOWN_INCLUDES = new Set(['payments', 'payments.paymentInstrument', 'payments.paymentMethod', 'paymentInstrument', 'paymentMethod']);

function capitalised(word: string): string {
  return word.charAt(0) + word.slice(1).toLowerCase();
}

function reversed(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(reversed);
  if (value && typeof value === 'object') return Object.fromEntries(Object.entries(value).reverse().map(([key, inner]) => [key, reversed(inner)]));
  return value;
}

const isString = (value: unknown): value is string => typeof value === 'string';
const absoluteUrl = (value: unknown) => isString(value) && /^https?:\/\/[^\s]+$/.test(value);

/** What a strict ICM refuses in a POST /orders body (contract §8's `{basket, termsAndConditionsAccepted}`). */
function strictCreate(json: any): string | null {
  if (!json || typeof json !== 'object' || Array.isArray(json)) return 'The body is no object.';
  if (!isString(json.basket) || !json.basket) return 'basket must be a basket id.';
  if (typeof json.termsAndConditionsAccepted !== 'boolean') return 'termsAndConditionsAccepted must be a boolean.';
  return null;
}

/** What a strict ICM refuses in a PATCH body: the two shapes §3.2.3 and §3.2.4 show, nothing else. */
function strictContinue(json: any): string | null {
  const creation = json?.orderCreation;
  if (!creation || creation.status !== 'CONTINUE') return 'orderCreation.status must be CONTINUE.';
  const redirect = creation.redirect;
  if (!redirect || typeof redirect !== 'object') return 'orderCreation.redirect is required.';
  if ('status' in redirect) {
    if (!['SUCCESS', 'CANCEL', 'FAILURE'].includes(redirect.status)) return 'redirect.status is unknown.';
    if (!Array.isArray(redirect.parameters)) return 'redirect.parameters must be a list.';
    if (!redirect.parameters.every((one: any) => isString(one?.name) && isString(one?.value))) return 'Each parameter needs a string name and value.';
    return null;
  }
  if (!['successUrl', 'cancelUrl', 'failureUrl'].every((name) => absoluteUrl(redirect[name]))) return 'The three redirect URLs must be absolute URLs.';
  return null;
}

async function readBody(request: IncomingMessage): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of request) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks).toString('utf8');
}

export async function startIcmServer(overrides: Partial<IcmServerOptions> = {}): Promise<IcmServer> {
  const authToken = 'independent-icm-token-5e3a';
  const baskets = new Map<string, Basket>();
  const orders = new Map<string, IcmOrder>();
  const calls: RecordedCall[] = [];
  let sequence = 0;
  const nextId = (prefix: string) => {
    const serial = (++sequence).toString(36).padStart(4, '0');
    // `idAlphabet` (round twenty-one): the same ids, spelled with characters the seed's examples do not show.
    if (opts().idAlphabet === 'base64') return `${prefix}+KAB2/${serial}=AAAFuFz/tdhmTy==`;
    if (opts().idAlphabet === 'wide') return `${prefix} KAB2%${serial}ü/AAAF+uFz`;
    // `'digits'` / `'long-digits'` (round twenty-five): a sequence's number, or a 64-bit key beyond 2^53.
    if (opts().idAlphabet === 'digits') return String(4_700_000 + sequence);
    if (opts().idAlphabet === 'long-digits') return String(7_311_234_567_890_000_000n + BigInt(sequence) * 7n);
    return `${prefix}KAB2_${serial}.AAAFuFztdhmTy`;
  };
  let origin = '';
  let loseCreateAnswer = false;
  /** Calls to turn away before any work (`turnAway`), oldest first. */
  const turnedAway: { call: 'POST' | 'PATCH' | 'list'; status: number }[] = [];
  const lose: { method: string; how: 'reset' | 500 | 502 | 503 | 'slow' | 'late' }[] = [];
  const redirected: string[] = [];
  const moneyMoves = new Map<string, number>();
  const refusals: string[] = [];
  const moved = (order: IcmOrder) => moneyMoves.set(order.id, (moneyMoves.get(order.id) ?? 0) + 1);
  /** A status word as this server writes it (`paddedWords`). */
  const word = (given: string) => {
    // `turkishCasing` (round twenty-eight): the JVM's Turkish default locale at String#toLowerCase / #toUpperCase.
    const how = opts().turkishCasing;
    const lower = /[a-z]/.test(given);
    const text = how === null ? given : lower && how !== 'upper' ? given.replace(/i/g, '\u0131') : !lower && how !== 'lower' ? given.replace(/I/g, '\u0130') : given;
    return opts().paddedWords ? ` ${text} ` : text;
  };
  /** A number as `signedNumbers` writes it (round twenty-eight), at `places` decimals; as given without it. */
  const signed = (value: number | string, places = 0): number | string => {
    const how = opts().signedNumbers;
    if (how === null) return value;
    const text = typeof value === 'string' ? value.trim() : value.toFixed(places);
    const [whole = '', fraction] = text.split('.');
    const padded = how === 'plus' ? whole : whole.padStart(8, '0');
    return `${how === 'zeros' ? '' : '+'}${padded}${fraction === undefined ? '' : `.${fraction}`}`;
  };
  /** A field the seed leaves out of this state: left out, or `null` (`nulls`). */
  const absent = (name: string) => (opts().emptyStrings && STRING_FIELDS.has(name) ? { [name]: '' } : opts().nulls ? { [name]: null } : {});
  /** A block this state does not have: left out, `null` (`nulls`) or `{}` (`emptyObjects`). */
  const noBlock = (name: string) =>
    opts().emptyStrings && name === 'stopAction'
      ? { stopAction: { exitReason: '', redirectUrl: '', type: '' } }
      : opts().emptyStrings && name === 'orderCreation'
        ? { orderCreation: { status: '', stopAction: { exitReason: '', redirectUrl: '', type: '' } } }
        : opts().emptyObjects
          ? { [name]: {} }
          : absent(name);
  /** Order id -> the order after each change, with when it was made (`readLagMs`). */
  const history = new Map<string, { at: number; order: IcmOrder }[]>();
  /** Order id -> its version (`conditionalPatch`): one more with every change. */
  const versions = new Map<string, number>();
  const etagOf = (order: IcmOrder) => `${opts().conditionalPatch?.etag === 'weak' ? 'W/' : ''}"v${versions.get(order.id) ?? 0}"`;
  /** The order's version in `ETag`, with `conditionalPatch` (set before `send` writes the head). */
  const tagged = (response: ServerResponse, order: IcmOrder) => {
    const conditional = opts().conditionalPatch;
    if (conditional && conditional.etag !== 'none') response.setHeader('etag', etagOf(order));
  };
  const snap = (order: IcmOrder) => {
    versions.set(order.id, (versions.get(order.id) ?? 0) + 1);
    const copy: IcmOrder = { ...order, basket: { ...order.basket }, ...(order.redirect ? { redirect: { ...order.redirect } } : {}) };
    history.set(order.id, [...(history.get(order.id) ?? []), { at: Date.now(), order: copy }]);
  };
  /** The order as a read sees it: as it was `readLagMs` ago (none when it was made since). */
  const asOfLag = (order: IcmOrder): IcmOrder | undefined => {
    const lag = opts().readLagMs;
    if (lag <= 0) return order;
    const before = (history.get(order.id) ?? []).filter((one) => one.at <= Date.now() - lag);
    return before[before.length - 1]?.order;
  };
  /** Order id -> [the order as it was before the last PATCH moved it, how many stale reads are left]. */
  const stale = new Map<string, [IcmOrder, number]>();

  const state = { options: { ...SEED_DEFAULTS, ...overrides } };
  /** The storefront's older orders (`backlog`), made once, newest first, days before the test. */
  const backlogMade: IcmOrder[] = [];
  const backlogOrders = (): IcmOrder[] => {
    while (backlogMade.length < opts().backlog) {
      const index = backlogMade.length;
      const basket: Basket = { id: `bk-old-${index}`, value: 10, currency: 'USD', payment: 'direct', capture: true, async: false, declined: false, giftCard: 0, free: false, ordered: true };
      const creationDate = new Date(Date.now() - 3 * 86_400_000 - index * 60_000).toISOString();
      backlogMade.push({ id: `old-${index}.AAAFuFztdhmTy`, documentNumber: String(index).padStart(8, '0'), basket, creationDate, stage: 'completed', paymentId: `old-${index}-pay`, paymentWord: 'CAPTURED', returns: 0, lagging: 0, answered: 'completed' });
    }
    return backlogMade.slice(0, opts().backlog);
  };
  const opts = () => state.options;

  /** The currency as `currencyAs` writes it (round twenty-seven): ISO 4217's letters, its number (a JSON number or three digits), or lower case. */
  const currencyOf = (order: IcmOrder): string | number => {
    const letters = order.basket.currency;
    switch (opts().currencyAs) {
      case 'alpha':
        return letters;
      case 'lower':
        return letters.toLowerCase();
      case 'numeric':
        return ISO_NUMERIC[letters] ?? letters;
      case 'numeric-string':
        return String(ISO_NUMERIC[letters] ?? letters).padStart(3, '0');
      // ISO 4217's 999 (XXX, "no currency"): a number that names no money, so nobody can read it.
      case 'numeric-unknown':
        return 999;
    }
  };

  const money = (order: IcmOrder, value: number) => {
    const places = decimalsOf(order.basket.currency);
    const asString = opts().valuesAsStrings;
    // `amountScale` (round twenty-six): a BigDecimal of another scale than the currency's, written as a string (`"628.3400"`).
    const written = asString && opts().amountScale !== null ? value.toFixed(opts().amountScale!) : asString ? value.toFixed(places) : value;
    const flat = { currency: currencyOf(order), value: asString === 'java-double' ? javaDoubleString(value) : opts().signedNumbers !== null ? signed(written, places) : written };
    return opts().amounts === 'flat' ? flat : { gross: flat, net: { currency: flat.currency, value: roundTo(value / 1.19, places) } };
  };

  const paymentWord = (order: IcmOrder): string | undefined => {
    if (opts().paymentWords === 'absent') return undefined;
    if (order.stage === 'waiting') return word(opts().pendingPaymentWord);
    const other = opts().paymentWordAs[order.paymentWord];
    if (other !== undefined) return word(other);
    if (order.paymentWord === 'UNPROCESSED') return word('Unprocessed'); // as §2.2 prints it
    const written = order.paymentWord;
    return word(opts().paymentWords === 'capitalised' ? capitalised(written) : written);
  };

  /** The open tender's share: what the gift card (if any) leaves. */
  const openValue = (order: IcmOrder) =>
    opts().doubleAmounts ? order.basket.value - order.basket.giftCard : roundTo(order.basket.value - order.basket.giftCard, decimalsOf(order.basket.currency));

  /** `settlementCurrency` (round twenty-nine): `value` of the basket's currency converted to the PSP's settlement currency, in money's form. */
  const settled = (order: IcmOrder, value: number) => {
    const sc = opts().settlementCurrency!;
    // A basket already in the settlement currency is not converted.
    const rate = sc.currency === order.basket.currency ? 1 : sc.rate;
    const flat = { currency: sc.currency, value: roundTo(value * rate, decimalsOf(sc.currency)) };
    return opts().amounts === 'flat' ? flat : { gross: flat };
  };

  const payment = (order: IcmOrder) => {
    const status = paymentWord(order);
    const sc = opts().settlementCurrency;
    const costs = sc?.costs ?? 0;
    const base = openValue(order) - costs;
    return {
      baseAmount: sc?.amounts === 'both' ? settled(order, base) : sc ? money(order, base) : money(order, openValue(order)),
      id: order.paymentId,
      ...(opts().openTenderFlag ? { openTender: true } : {}),
      paymentCosts: opts().amounts === 'flat' ? { currency: currencyOf(order), value: costs } : { gross: { currency: currencyOf(order), value: costs } },
      paymentInstrument: 'ISH_ONLINEPAY',
      paymentMethod: 'ISH_ONLINEPAY',
      ...(order.basket.payment === 'direct' ? absent('redirectRequired') : { redirectRequired: true }),
      ...(status === undefined ? absent('status') : { status }),
      totalAmount: sc ? settled(order, openValue(order)) : money(order, openValue(order)),
    };
  };

  /** §3.1's limited tender, taken before the open tender's PSP: CAPTURED, voided by a rollback. */
  const giftCard = (order: IcmOrder) => {
    const said = opts().paymentWords === 'absent' ? undefined : order.stage === 'rolled_back' ? 'AUTHORIZATIONVOIDED' : 'CAPTURED';
    return {
      baseAmount: money(order, order.basket.giftCard),
      id: order.giftId ?? `${order.paymentId}-gift`,
      ...(opts().openTenderFlag ? { openTender: false } : {}),
      paymentInstrument: 'ISH_GIFT_CARD-4711',
      paymentMethod: 'ISH_GIFT_CARD',
      ...(said === undefined ? absent('status') : { status: word(opts().paymentWords === 'capitalised' ? capitalised(said) : said) }),
      totalAmount: money(order, order.basket.giftCard),
    };
  };

  /** The order's payments, limited tenders first (§3.1). */
  const paymentsOf = (order: IcmOrder) => (order.basket.free ? [] : order.basket.giftCard > 0 ? [giftCard(order), payment(order)] : [payment(order)]);

  const pspUrl = (order: IcmOrder) => {
    const r = order.redirect!;
    // The seed's own URL: session parameters in the path, another host, `¤cy` where `&currency` was meant.
    const cents = Math.round(order.basket.value * 100);
    return (
      `${opts().relativeRedirectUrl ? '' : 'http://icm-psp.invalid:10080'}/INTERSHOP/web/WFS/inSPIRED-inTRONICS-Site/en_US/-/${order.basket.currency}/ISHPayRedirect-OnlinePay;pgid=t4uQ3pi73K6RpDktBA.rXsCb00001UeHgPZz;sid=y2IKAB2_X8cAAAFrag04a5lJ` +
      `?PaymentTransactionUUID=6hgKAB2_dHIAAAFrd_44a5lI&transactionID=${encodeURIComponent(order.id)}${order.returns > 0 ? `-3ds${order.returns}` : ''}&orderID=${encodeURIComponent(order.id)}&merchant=0815&password=intershop&amount=${cents}¤cy=${order.basket.currency}` +
      `&successURL=${encodeURIComponent(r.successUrl)}&failURL=${encodeURIComponent(r.failureUrl)}&cancelURL=${encodeURIComponent(r.cancelUrl)}`
    );
  };

  /** The creation date (kept as an ISO instant) as `dateStyle` writes it; the seed's style is an offset of +01:00. */
  const writtenDate = (iso: string): string | number | number[] => {
    const local = new Date(Date.parse(iso) + 3_600_000).toISOString();
    const seconds = local.slice(0, 19);
    switch (opts().dateStyle) {
      case 'seed':
        return `${seconds}+01:00`;
      case 'no-colon':
        return `${seconds}+0100`;
      case 'no-zone':
        return iso.slice(0, 19);
      case 'no-zone-west':
        // The server's own wall clock (New York, UTC-5) without saying so.
        return new Date(Date.parse(iso) - 5 * 3_600_000).toISOString().slice(0, 19);
      case 'millis':
        return `${local.slice(0, 23)}+01:00`;
      // An OffsetDateTime's own toString with its nanoseconds (Jackson without timestamps; round twenty-three).
      case 'nanos':
        return `${local.slice(0, 23)}456789+01:00`;
      // Truncated to the minute, printed by OffsetDateTime.toString(), which leaves zero seconds out (round twenty-five).
      case 'minutes':
        return `${local.slice(0, 16)}+01:00`;
      case 'zone-id':
        return `${seconds}+01:00[Europe/Berlin]`;
      case 'epoch-millis':
        return Date.parse(iso);
      // Jackson's JavaTimeModule with its default WRITE_DATES_AS_TIMESTAMPS: an OffsetDateTime as
      // epoch seconds with the fraction (`1733450000.123000000`, a JSON number), or without it
      // when the nanoseconds are not written; a LocalDateTime as an array of its fields.
      case 'epoch-seconds':
        return Date.parse(iso) / 1000;
      case 'epoch-seconds-whole':
        return Math.floor(Date.parse(iso) / 1000);
      // A java.util.Date as its toString() prints it (`EEE MMM dd HH:mm:ss zzz yyyy`: a writer that
      // stringifies what it does not know), in the JVM's zone: Europe/Berlin (CET / CEST), UTC, or
      // Asia/Shanghai, whose short name Java writes `CST` (round twenty-seven).
      case 'java-date':
        return javaDateToString(Date.parse(iso), berlinOffsetHours(Date.parse(iso)), berlinOffsetHours(Date.parse(iso)) === 2 ? 'CEST' : 'CET');
      case 'java-date-utc':
        return javaDateToString(Date.parse(iso), 0, 'UTC');
      case 'java-date-cst':
        return javaDateToString(Date.parse(iso), 8, 'CST');
      // DateTimeFormatter.RFC_1123_DATE_TIME of the instant at UTC: `Wed, 13 Nov 2019 13:27:06 GMT` (day unpadded).
      case 'rfc1123': {
        const at = new Date(Date.parse(iso));
        return `${WEEKDAYS[at.getUTCDay()]}, ${at.getUTCDate()} ${MONTHS[at.getUTCMonth()]} ${at.getUTCFullYear()} ${at.toISOString().slice(11, 19)} GMT`;
      }
      case 'local-array': {
        const at = new Date(Date.parse(local));
        return [at.getUTCFullYear(), at.getUTCMonth() + 1, at.getUTCDate(), at.getUTCHours(), at.getUTCMinutes(), at.getUTCSeconds(), at.getUTCMilliseconds() * 1_000_000];
      }
    }
  };

  const statusCode = (order: IcmOrder): string =>
    order.stage === 'completed'
      ? (order.fulfilment ?? opts().completedStatusCode)
      : order.stage === 'rolled_back'
        ? // 'PENDING': the rolled-back order keeps the code it had while not placed (`openStatusCode`).
          opts().rolledBackStatusCode === 'PENDING'
          ? opts().openStatusCode
          : opts().rolledBackStatusCode
        : opts().openStatusCode;

  const creation = (order: IcmOrder) => {
    // `stopTypes: false` leaves the type out (round nine): the stop is said by its other fields alone.
    const type = (written: string) => (opts().stopTypes ? { type: word(opts().stopTypeCase === 'upper' ? written.toUpperCase() : written) } : absent('type'));
    const echoed = order.redirect ? { redirect: { ...order.redirect, ...(opts().redirectUrlTwice && order.stage === 'at_psp' ? { redirectUrl: pspUrl(order) } : {}) } } : noBlock('redirect');
    const workflow = (exitReason: string) => ({ ...echoed, status: word('STOPPED'), stopAction: { exitReason: word(exitReason), ...absent('redirectUrl'), ...type('Workflow') } });
    switch (order.stage) {
      case 'urls_required':
        return workflow('redirect_urls_required');
      case 'other_stop':
        return workflow(opts().anotherStop ?? 'unnamed');
      case 'at_psp':
        return {
          ...echoed,
          status: word('STOPPED'),
          stopAction: { ...(opts().redirectExitReason === null ? absent('exitReason') : { exitReason: word(opts().redirectExitReason!) }), redirectUrl: pspUrl(order), ...type('Redirect') },
        };
      case 'waiting':
        return workflow('waiting_for_pending_payments');
      case 'completed':
        return { ...noBlock('redirect'), status: word('COMPLETED'), ...noBlock('stopAction') };
      case 'rolled_back':
        return { ...noBlock('redirect'), status: word(opts().rolledBackChainWord), ...noBlock('stopAction') };
    }
  };

  /** An info's text; `infoMessages: false` leaves it out (null with `nulls`), as an untranslated one may be. */
  const infoText = (message: string) => (opts().infoMessages ? { message } : absent('message'));
  const infos = (order: IcmOrder) => {
    const german = opts().bodyCharset === 'iso-8859-1';
    if (order.stage === 'rolled_back') return [{ code: 'order.cancelled.info', ...infoText(german ? GERMAN_CANCELLED : 'The order was cancelled.') }];
    if (order.stage !== 'completed' && opts().stopInfos) return [{ code: 'order.creation_stopped.info', ...infoText(german ? GERMAN_STOPPED : 'The order process has not been finished yet.') }];
    return [];
  };

  /**
   * The order's `basket` (`orderedBasket`): the basket's id, or, once the basket is gone (turned into
   * the order; a rollback restores it), what a Java DTO resolving the reference then writes.
   */
  const basketRef = (order: IcmOrder) => {
    const gone = opts().orderedBasket;
    if (!gone || order.stage === 'rolled_back' || (gone.from === 'placed' && order.stage !== 'completed')) return { basket: order.basket.id };
    return gone.as === 'absent' ? {} : { basket: gone.as === 'null' ? null : '' };
  };

  const orderData = (order: IcmOrder, withCreation: boolean, chainFrom: IcmOrder = order) => ({
    ...basketRef(order),
    buckets: ['0'],
    commonShipToAddress: 'TKwKAB2_oHgAAAFuQT1dhmTy',
    commonShippingMethod: 'STD_GROUND',
    creationDate: writtenDate(order.creationDate),
    customer: 'Patricia',
    discounts: {},
    documentNumber: opts().documentNumberAs === 'long' ? Number(order.documentNumber) : order.documentNumber,
    id: order.id,
    invoiceToAddress: 'XcIKAB2_DWAAAAFuGD1dhmTy',
    lineItems: opts().lineItems ? linesOf(order).map((line) => line.id) : ['PfwKAB2_vLQAAAFuSj1dhmTy'],
    ...(withCreation ? { orderCreation: creation(chainFrom) } : noBlock('orderCreation')),
    payments: paymentsOf(order).map((one) => one.id),
    purchaseCurrency: currencyOf(order),
    status: capitalised(statusCode(order)).replace('_', ' '),
    ...(opts().statusCodeField ? { statusCode: word(statusCode(order)) } : absent('statusCode')),
    termsAndConditionsAccepted: true,
    totalProductQuantity: 1,
    totals: opts().totals,
    user: 'patricia@test.intershop.de',
    ...(opts().extraFields ? { approvalStatus: 'NOT_REQUIRED', attributes: [{ name: 'origin', type: 'String', value: 'rest' }] } : {}),
  });

  /**
   * The order's lines (`lineItems`, round twenty-six): `count` lines whose totals add up to the
   * basket's value in its currency's minor units (the last line takes the remainder), each of
   * `quantity`, its unit price the total divided by the quantity at `unitPriceDecimals` decimals.
   */
  const linesOf = (order: IcmOrder) => {
    const how = opts().lineItems!;
    const places = decimalsOf(order.basket.currency);
    const minor = Math.round(order.basket.value * 10 ** places);
    const each = Math.floor(minor / how.count);
    return Array.from({ length: how.count }, (_, index) => {
      const lineMinor = index === how.count - 1 ? minor - each * (how.count - 1) : each;
      const total = lineMinor / 10 ** places;
      const unit = roundTo(total / how.quantity, Math.max(places, how.unitPriceDecimals));
      return {
        id: `${order.id}-L${index + 1}`,
        position: signed(index + 1),
        product: `SKU-${1000 + index}`,
        quantity: { value: signed(how.quantity) },
        pricing: { singleBasePrice: money(order, unit), total: money(order, total) },
      };
    });
  };

  /** `included` for the asked include paths (§2.2 names them `payments`, `payments.paymentInstrument`, `payments.paymentMethod`). */
  const included = (order: IcmOrder, asked: string[]) => {
    const blocks: Record<string, unknown> = {};
    if (!opts().honourInclude) return {};
    if (asked.includes('payments')) blocks['payments'] = Object.fromEntries(paymentsOf(order).map((one) => [one.id, one]));
    if (opts().lineItems && asked.includes('lineItems')) blocks['lineItems'] = Object.fromEntries(linesOf(order).map((one) => [one.id, one]));
    if (asked.includes('payments.paymentInstrument')) blocks['payments.paymentInstrument'] = { ISH_ONLINEPAY: { id: 'ISH_ONLINEPAY' } };
    if (asked.includes('payments.paymentMethod'))
      blocks['payments.paymentMethod'] = {
        ISH_ONLINEPAY: { capabilities: ['RedirectAfterCheckout'], displayName: 'ISH Demo Online Pay', id: 'ISH_ONLINEPAY', paymentInstruments: ['ISH_ONLINEPAY'], serviceID: 'ISH_ONLINEPAY' },
      };
    return Object.keys(blocks).length > 0 ? { included: blocks } : absent('included');
  };

  /** The order whose chain a read shows: itself, or as the last POST or PATCH answered it (`readsKeepLastChain`). */
  const lastChain = (order: IcmOrder): IcmOrder => (opts().readsKeepLastChain ? { ...order, stage: order.answered } : order);

  /** An order's data as a read answers it (`readsOmitRedirectUrl`). */
  const asRead = <T extends Record<string, unknown>>(data: T): T => {
    const chain = data.orderCreation as { stopAction?: Record<string, unknown>; redirect?: Record<string, unknown> } | undefined;
    if (!opts().readsOmitRedirectUrl || !chain) return data;
    const without = (block: Record<string, unknown> | undefined) => (block ? Object.fromEntries(Object.entries(block).filter(([key]) => key !== 'redirectUrl')) : block);
    return { ...data, orderCreation: { ...chain, stopAction: without(chain.stopAction), redirect: without(chain.redirect) } };
  };

  const orderAnswer = (order: IcmOrder, asked: string[], how: { withCreation: boolean; thin?: boolean; read?: boolean }) => {
    const info = infos(order);
    // A Java DTO whose lists start empty, serialized with only `orderCreation` filled in.
    const emptyLists = opts().patchAnswer === 'thin-empty-lists' ? { buckets: [], lineItems: [], payments: [] } : {};
    return {
      // §2.2's PATCH answer shows `"data": { ..., "orderCreation": {...}, ... }`: thin keeps only what it shows.
      data: how.thin ? { ...emptyLists, orderCreation: creation(order) } : how.read ? asRead(orderData(order, how.withCreation, lastChain(order))) : orderData(order, how.withCreation),
      ...(how.thin ? {} : included(order, asked)),
      ...(how.withCreation && info.length > 0 ? { infos: info } : absent('infos')),
      links: { self: `${origin}${ICM_BASE_PATH}/orders/${encodeURIComponent(order.id)}` },
    };
  };

  /** The order's URL as a `Location` names it: at the address the gateway calls, or ICM's own host (`locationHost`, the seed's `links.self`). */
  const locationOf = (order: IcmOrder) => `${opts().locationHost === 'internal' ? 'http://jrwilms01:10080' : origin}${ICM_BASE_PATH}/orders/${encodeURIComponent(order.id)}`;

  /** Made or taken, answered with where to look (`seeOther`, `createNoContent`): no body. */
  const pointTo = (response: ServerResponse, status: 201 | 303, order: IcmOrder): void => {
    // POST/Redirect/GET as a servlet's `sendRedirect` writes it (`seeOtherStatus: 302`, round eighteen).
    response.writeHead(status === 303 ? opts().seeOtherStatus : status, { location: locationOf(order) });
    response.end();
  };

  const send = (response: ServerResponse, status: number, body: unknown): void => {
    // `emptyListsAsNull` (round nineteen): a Java collection field left null when it has nothing, as Jackson writes it.
    const nullLists = opts().emptyListsAsNull;
    const asStrings = opts().scalars === 'strings';
    const replacer =
      nullLists || asStrings
        ? (_key: string, value: unknown) =>
            nullLists && Array.isArray(value) && value.length === 0 ? null : asStrings && (typeof value === 'number' || typeof value === 'boolean') ? String(value) : value
        : undefined;
    const typed = JSON.stringify(opts().reverseKeys ? reversed(body) : body, replacer);
    // `scalars: 'by-content'` (round twenty-five): a string value of digits (no leading zero) written as
    // the bare number; never an object's key (followed by `:`).
    const text = opts().scalars === 'by-content' ? typed.replace(/([:[,]\s*)"(-?(?:0|[1-9]\d*))"(?!\s*:)/g, '$1$2') : typed;
    // `bodyCharset`, `gzipBodies` (round seventeen): the bytes as another servlet container or web tier writes them.
    const latin1 = opts().bodyCharset === 'iso-8859-1';
    const bytes = latin1 ? Buffer.from(text, 'latin1') : Buffer.from(`${opts().bomBodies ? '\uFEFF' : ''}${text}`, 'utf8');
    // `okStatus` (round twenty-four): another 2xx for a success; 205 Reset Content carries no body.
    const other = status >= 200 && status < 300 ? opts().okStatus?.[response.req.method as 'POST' | 'PATCH' | 'GET'] : undefined;
    if (other === 205) {
      response.writeHead(205);
      return void response.end();
    }
    if (other !== undefined) status = other;
    const type = opts().contentType ? { 'content-type': latin1 ? `${opts().contentType};charset=ISO-8859-1` : opts().contentType } : {};
    response.writeHead(status, { ...type, ...(opts().gzipBodies ? { 'content-encoding': 'gzip' } : {}) });
    response.end(opts().gzipBodies ? gzipSync(bytes) : bytes);
  };

  /** A POST's or PATCH's answer, unless it is to be lost (loseNextAnswer): the change is made either way. */
  const answer = (response: ServerResponse, method: string, status: number, body: unknown): void => {
    const index = lose.findIndex((one) => one.method === method);
    const how = index >= 0 ? lose.splice(index, 1)[0]!.how : undefined;
    if (how === 'reset') return void response.destroy();
    // With `errorsInOk` (round twenty-three) the same body in a 200; otherwise always the contract's body, as before.
    if (how === 500 && opts().errorsInOk) return void fail(response, 500, 'internal.error', 'Internal server error.');
    if (how === 500) return void send(response, 500, { errors: [{ code: 'internal.error', message: 'Internal server error.', status: '500', causes: [] }] });
    if (how === 502) {
      response.writeHead(502, { 'content-type': 'text/html' });
      return void response.end('<html><body>502 Bad Gateway</body></html>');
    }
    if (how === 503) return void unavailable(response);
    if (how === 'slow') return void setTimeout(() => send(response, status, body), 2500).unref();
    // Written now, arriving 700 ms later (within the gateway's wait): what happens meanwhile is newer than it.
    if (how === 'late') return void setTimeout(() => send(response, status, body), 700).unref();
    send(response, status, body);
  };

  /** The web tier's own 503 (round eighteen): come back in a second, an HTML page. */
  const unavailable = (response: ServerResponse): void => {
    response.writeHead(503, { 'content-type': 'text/html', 'retry-after': '1' });
    response.end('<html><body><h1>503 Service Unavailable</h1></body></html>');
  };

  const fail = (response: ServerResponse, status: number, code: string, message: string): void => {
    // `errorsInOk` (round twenty-three): the error written with 200 OK, its own `status` said or not.
    const inOk = opts().errorsInOk;
    if (inOk && inOk.methods.includes(response.req.method as 'POST' | 'PATCH' | 'GET') && (opts().errorBody === 'contract' || opts().errorBody === 'int-status')) {
      // `signedNumbers` (round twenty-eight): the error's status through the same formatter (`"+400"`).
      const said = inOk.status === 'said' ? { status: opts().errorBody === 'int-status' ? status : String(signed(status)) } : {};
      return send(response, 200, { errors: [{ code, message, ...said, causes: [] }] });
    }
    if (opts().errorBody === 'contract') return send(response, status, { errors: [{ code, message, status: String(signed(status)), causes: [] }] });
    if (opts().errorBody === 'int-status') return send(response, status, { errors: [{ code, message, status, causes: [] }] });
    if (opts().errorBody === 'text') {
      response.writeHead(status, { 'content-type': 'text/plain' });
      response.end(`${code}: ${message}`);
      return;
    }
    response.writeHead(status);
    response.end();
  };

  const complete = (order: IcmOrder, outcome: 'paid' | 'failed') => {
    moved(order);
    if (outcome === 'paid') {
      order.stage = 'completed';
      order.paymentWord = order.basket.capture ? 'CAPTURED' : 'AUTHORIZED';
    } else {
      order.stage = 'rolled_back';
      order.paymentWord = 'AUTHORIZATIONVOIDED';
      order.basket.ordered = false; // "the basket restored"
    }
  };

  async function handle(request: IncomingMessage, response: ServerResponse): Promise<void> {
    const body = await readBody(request);
    const url = new URL(request.url ?? '/', 'http://icm');
    const method = request.method ?? 'GET';
    if (opts().connectionClose) response.setHeader('connection', 'close');
    // The web tier's redirect (`moved`): the request is not passed on to ICM.
    const tier = opts().moved;
    if (tier && url.pathname.startsWith(ICM_BASE_PATH) && (tier.methods as string[]).includes(method)) {
      const target = `${ICM_MOVED_BASE_PATH}${url.pathname.slice(ICM_BASE_PATH.length)}${url.search}`;
      redirected.push(`${method} ${url.pathname.slice(ICM_BASE_PATH.length)}${url.search}`);
      response.writeHead(tier.status, { location: tier.to === 'path' ? target : `${tier.to === 'other' ? opts().movedOrigin : origin}${target}`, 'content-type': 'text/html' });
      response.end(`<html><body>Moved to <a href="${target}">${target}</a></body></html>`);
      return;
    }
    const base = url.pathname.startsWith(ICM_MOVED_BASE_PATH) ? ICM_MOVED_BASE_PATH : ICM_BASE_PATH;
    if (!url.pathname.startsWith(base)) return fail(response, 404, 'not.found', 'No such resource.');
    const path = url.pathname.slice(base.length);
    // ICM's own clock in its `Date` header (`clockOffsetMs`); node writes the real one otherwise.
    if (!opts().dateHeader) response.sendDate = false;
    else if (opts().clockOffsetMs) response.setHeader('date', new Date(Date.now() + opts().clockOffsetMs).toUTCString());
    calls.push({ method, path: path + url.search, accept: request.headers.accept, contentType: request.headers['content-type'], body, ...(request.headers['if-match'] ? { ifMatch: request.headers['if-match'] } : {}) });

    if (request.headers['authentication-token'] !== authToken) return fail(response, 401, 'authentication.failed', 'Authentication required.');
    if (opts().strictAccept && !(request.headers.accept ?? '').includes(ICM_V1_TYPE)) return fail(response, 406, 'not.acceptable', 'Use the v1 media type.');
    const asked = (url.searchParams.get('include') ?? '').split(',').filter(Boolean);
    const listing = method === 'GET' && /^\/orders\/?$/.test(path);
    // Come back later (`turnAway`): refused before any work, with ICM's error body.
    const away = turnedAway.findIndex((one) => (one.call === 'list' ? listing : one.call === method));
    if (away >= 0) {
      const status = turnedAway.splice(away, 1)[0]!.status;
      if (status === 503) return unavailable(response);
      return fail(response, status, 'request.too_many_requests', 'Too many requests, try again later.');
    }
    if (url.searchParams.has('include') && ((method === 'PATCH' && opts().refuseIncludeOn.includes('PATCH')) || (listing && opts().refuseIncludeOn.includes('list')))) {
      return fail(response, 400, 'include.unsupported', 'This request takes no include.');
    }
    const unknownParameter = [...url.searchParams.keys()].find((name) => name !== 'include');
    if (opts().strictQuery && unknownParameter) return fail(response, 400, 'request.parameter.unknown', `Unknown query parameter ${unknownParameter}.`);
    const unknownInclude = asked.some((name) => !KNOWN_INCLUDES.has(name));
    const createsFirst = opts().unknownInclude === 'reject-after-create' && method === 'POST';
    if (opts().unknownInclude !== 'ignore' && !createsFirst && unknownInclude) return fail(response, 400, 'include.invalid', 'Unknown include.');
    let json: any;
    if (method === 'POST' || method === 'PATCH') {
      if (!/json/i.test(request.headers['content-type'] ?? '')) return fail(response, 415, 'unsupported.media.type', 'JSON only.');
      if (opts().bodyType === 'v1' && !(request.headers['content-type'] ?? '').includes(ICM_V1_TYPE)) {
        return fail(response, 415, 'unsupported.media.type', `A v1 request body is ${ICM_V1_TYPE}.`);
      }
      try {
        json = JSON.parse(body);
      } catch {
        return fail(response, 400, 'request.invalid', 'Malformed JSON.');
      }
    }

    if (opts().strictRequests && (method === 'POST' || method === 'PATCH')) {
      const refusal = method === 'POST' ? strictCreate(json) : strictContinue(json);
      if (refusal) {
        refusals.push(`${method} ${path}: ${refusal}`);
        return fail(response, 400, 'request.invalid', refusal);
      }
    }

    const segments = path.split('/').filter(Boolean).map(decodeURIComponent);
    if (segments[0] !== 'orders') return fail(response, 404, 'not.found', 'No such resource.');

    if (segments.length === 1 && method === 'POST') {
      const basket = baskets.get(String(json?.basket));
      // Idempotent by the basket (`basketOrderedAgain`): the order already made of it, as it stands.
      const existing = basket?.ordered ? [...orders.values()].reverse().find((one) => one.basket === basket && one.stage !== 'rolled_back') : undefined;
      if (existing && opts().basketOrderedAgain === 'existing-order') return answer(response, 'POST', 200, orderAnswer(existing, asked, { withCreation: true }));
      if (!basket || basket.ordered) return fail(response, 400, 'basket.not_found.error', 'The basket does not exist.');
      if (json.termsAndConditionsAccepted !== true) return fail(response, 400, 'order.terms_not_accepted.error', 'Terms and conditions must be accepted.');
      basket.ordered = true;
      const order: IcmOrder = {
        id: nextId('on'),
        documentNumber: String(1000 + sequence).padStart(8, '0'),
        basket,
        creationDate: new Date(Date.now() + opts().clockOffsetMs).toISOString(),
        stage: basket.payment === 'redirect' ? 'urls_required' : basket.payment === 'redirect-with-urls' ? 'at_psp' : 'completed',
        paymentId: opts().openTenderId ? 'open-tender' : nextId('lg'),
        paymentWord: 'UNPROCESSED',
        returns: 0,
        lagging: opts().readsLagCreate,
        answered: 'urls_required',
      };
      if (basket.payment === 'redirect-with-urls') order.redirect = { successUrl: 'http://shop.invalid/success', cancelUrl: 'http://shop.invalid/cancel', failureUrl: 'http://shop.invalid/failure' };
      if (basket.payment === 'direct' && basket.async) order.stage = 'waiting'; // checked by the PSP later (pspNotifies)
      else if (basket.payment === 'direct' && basket.declined) complete(order, 'failed');
      else if (basket.payment === 'direct') order.paymentWord = basket.capture ? 'CAPTURED' : 'AUTHORIZED';
      if (basket.payment === 'direct' && !basket.async && !basket.declined) moved(order);
      order.answered = order.stage;
      orders.set(order.id, order);
      snap(order);
      // The work done, the answer refused (`unknownInclude: 'reject-after-create'`, `failedCreationStatus`).
      if (createsFirst && unknownInclude) return fail(response, 400, 'include.invalid', 'Unknown include.');
      if (order.stage === 'rolled_back' && opts().failedCreationStatus !== null) {
        if (opts().failedCreationBody === 'order') return send(response, opts().failedCreationStatus!, orderAnswer(order, asked, { withCreation: true }));
        return fail(response, opts().failedCreationStatus!, 'order.creation.failed', 'The order could not be created.');
      }
      if (loseCreateAnswer) {
        loseCreateAnswer = false;
        response.destroy();
        return;
      }
      // Made, and answered `202 Accepted` (`accepted`, round twenty-two): the order as its body, or nothing at all.
      const acceptedPost = opts().accepted?.on.includes('POST') ? opts().accepted : null;
      if (acceptedPost?.body === 'none') {
        response.writeHead(202);
        return void response.end();
      }
      // Made, and answered as REST's create answers (`createNoContent`): 201, the new order's URL in `Location`, no body.
      if (opts().createNoContent) return pointTo(response, 201, order);
      // Made, and answered as POST/Redirect/GET answers (`seeOther`): 303, the order's URL, no body.
      if (opts().seeOther.includes('POST')) return pointTo(response, 303, order);
      tagged(response, order);
      const created = orderAnswer(order, asked, { withCreation: true });
      if (opts().postAnswersContinue) created.data = { ...created.data, orderCreation: { status: word('CONTINUE') } } as typeof created.data;
      answer(response, 'POST', acceptedPost ? 202 : opts().createStatus, created);
      // §2.2's POST answer names the open tender by an id, §3.2.3/§3.2.4 name it `open-tender` (a gift card keeps its id).
      if (opts().openTenderIdAfterPost) {
        order.giftId = `${order.paymentId}-gift`;
        order.paymentId = 'open-tender';
      }
      return;
    }

    if (segments.length === 1 && method === 'GET' && opts().noList) return fail(response, 405, 'method.not_allowed', 'Method not allowed.');
    if (segments.length === 1 && method === 'GET') {
      // The list changing between a client's pages (`onListPage`, round twenty-one).
      const pageAt = Number(url.searchParams.get('offset') ?? 0) || 0;
      const onPage = opts().onListPage;
      if (onPage && pageAt > 0) await onPage(pageAt);
      // A lagging node answers orders as they were before their last PATCH (`staleReads`, counted per order).
      const lagged = (order: IcmOrder): IcmOrder => {
        const before = stale.get(order.id);
        if (!before || before[1] <= 0) return order;
        before[1] -= 1;
        return before[0];
      };
      const ownFirst = [...orders.values()].flatMap((one) => asOfLag(one) ?? []).filter((order) => !(order.stage === 'rolled_back' && opts().rolledBackRead === 'not-found')).reverse().map(lagged);
      // The storefront's older orders after the test's (`backlog`, round twenty-six); a paged list builds only the page asked.
      const everyOrder = opts().backlog > 0 ? [...ownFirst, ...backlogOrders()] : ownFirst;
      const pagedAt = opts().listPageSize !== null && !opts().listIgnoresOffset ? Number(url.searchParams.get('offset') ?? 0) || 0 : 0;
      const pagedSize = opts().listPageSize;
      const newestFirst = pagedSize !== null && !opts().listIgnoresOffset ? everyOrder.slice(pagedAt, pagedAt + Math.min(Number(url.searchParams.get('limit') ?? pagedSize) || pagedSize, pagedSize)) : everyOrder;
      const data = newestFirst.map((order) =>
        opts().list === 'id-strings' ? order.id : opts().list === 'ids' ? { id: order.id } : asRead(orderData(order, opts().readsCarryCreation, lastChain(order))),
      );
      // The includes of every listed order, merged section by section (as for one order).
      const blocks: Record<string, Record<string, unknown>> = {};
      if (opts().list === 'full') {
        // Every listed order's (as before), or only this page's with a `backlog` of thousands.
        for (const order of opts().backlog > 0 ? newestFirst : ownFirst) {
          for (const [section, entries] of Object.entries(included(order, asked).included ?? {})) blocks[section] = { ...blocks[section], ...(entries as Record<string, unknown>) };
        }
      }
      const size = opts().listPageSize;
      if (opts().listIgnoresOffset) {
        const asked = Number(url.searchParams.get('limit') ?? data.length) || data.length;
        const limit = size === null ? asked : Math.min(asked, size);
        return send(response, 200, { data: data.slice(0, limit), ...(Object.keys(blocks).length ? { included: blocks } : absent('included')), ...(opts().listInfo ? { info: { limit: signed(limit), offset: signed(0), total: signed(data.length) } } : {}) });
      }
      // A `limit` above this ICM's largest page is refused (`listMaxLimit`, a bean validation's @Max), as a wrong value is.
      const maxLimit = opts().listMaxLimit;
      if (maxLimit !== null && Number(url.searchParams.get('limit') ?? 0) > maxLimit) return fail(response, 400, 'request.parameter.invalid', `limit must be at most ${maxLimit}.`);
      if (size === null) return send(response, 200, { data, ...(Object.keys(blocks).length ? { included: blocks } : absent('included')) });
      // Paged like baskets: `offset` and `limit` honoured (at most this server's page), `info` says where.
      const offset = Number(url.searchParams.get('offset') ?? 0) || 0;
      const limit = Math.min(Number(url.searchParams.get('limit') ?? size) || size, size);
      // `data` is this page already (built for it alone, above).
      return send(response, 200, { data, ...(Object.keys(blocks).length ? { included: blocks } : absent('included')), ...(opts().listInfo ? { info: { limit: signed(limit), offset: signed(offset), total: signed(everyOrder.length) } } : {}) });
    }

    const found = orders.get(segments[1] ?? '');
    // A read is served as of `readLagMs` ago; a change is made to the order itself.
    const order = found && method === 'GET' ? asOfLag(found) : found;
    if (!order) return fail(response, 404, 'order.not_found.error', 'The order does not exist.');
    // A rolled-back order that is gone: 404 as for any unknown id, or 410 Gone (`goneStatus`).
    if (order.stage === 'rolled_back' && opts().rolledBackRead === 'not-found')
      return fail(response, opts().goneStatus, opts().goneStatus === 410 ? 'order.gone.error' : 'order.not_found.error', 'The order does not exist.');

    if (segments.length === 3 && segments[2] === 'payments' && method === 'GET') {
      // §3.1: amounts as {gross: {...}}, no status word, includes named without the `payments.` prefix.
      const gross = (value: unknown) => ('gross' in (value as object) ? value : { gross: value });
      const data = paymentsOf(order).map(({ id, openTender, paymentInstrument, paymentMethod, baseAmount, totalAmount, ...rest }) => ({
        baseAmount: gross(baseAmount),
        id: opts().resourceOpenTenderId && openTender ? 'open-tender' : id,
        // The payment's own costs (`settlementCurrency.costs`, round twenty-nine), else none.
        paymentCosts: 'paymentCosts' in rest && opts().settlementCurrency ? gross(rest.paymentCosts) : { gross: { currency: currencyOf(order), value: 0 } },
        paymentInstrument,
        paymentMethod,
        totalAmount: gross(totalAmount),
      }));
      return send(response, 200, { data });
    }
    if (segments.length !== 2) return fail(response, 404, 'not.found', 'No such resource.');

    if (method === 'GET' && order.lagging > 0) {
      order.lagging -= 1;
      return fail(response, 404, 'order.not_found.error', 'The order does not exist.');
    }
    if (method === 'GET') {
      tagged(response, order);
      const before = stale.get(order.id);
      if (before && before[1] > 0) {
        before[1] -= 1;
        return send(response, 200, orderAnswer(before[0], asked, { withCreation: opts().readsCarryCreation, read: true }));
      }
      return send(response, 200, orderAnswer(order, asked, { withCreation: opts().readsCarryCreation, read: true }));
    }

    if (method === 'PATCH' && opts().conditionalPatch) {
      // Optimistic locking (`conditionalPatch`, round twenty-four): refused before any work.
      const ifMatch = request.headers['if-match'];
      const refuse = (status: 412 | 428, code: string, detail: string) => {
        if (opts().conditionalPatch!.refusal === 'errors') return fail(response, status, code, detail);
        response.writeHead(status, { 'content-type': 'application/problem+json' });
        response.end(JSON.stringify({ type: 'about:blank', title: status === 428 ? 'Precondition Required' : 'Precondition Failed', status, detail, instance: `${ICM_BASE_PATH}${path}` }));
      };
      if (!ifMatch) return refuse(428, 'order.precondition_required', 'This request must be conditional: send If-Match with the order\'s ETag.');
      await opts().beforePrecondition?.(order.id);
      const bare = (tag: string) => tag.trim().replace(/^W\//, '');
      if (!ifMatch.split(',').some((tag) => tag.trim() === '*' || bare(tag) === bare(etagOf(order)))) return refuse(412, 'order.precondition_failed', 'The order was changed since it was read.');
    }

    if (method === 'PATCH') {
      const requested = json?.orderCreation;
      if (requested?.status !== 'CONTINUE') return fail(response, 400, 'order.creation.invalid', 'orderCreation.status must be CONTINUE.');
      const redirect = requested.redirect ?? {};
      if (opts().strictContinue && order.stage !== 'completed' && order.stage !== 'rolled_back') {
        const urls = Boolean(redirect.successUrl || redirect.cancelUrl || redirect.failureUrl);
        if ((urls && order.stage !== 'urls_required') || (typeof redirect.status === 'string' && order.stage !== 'at_psp')) {
          return answer(response, 'PATCH', 409, { errors: [{ code: 'order.creation.step_mismatch', message: 'The order creation is not waiting for this.', status: '409', causes: [] }] });
        }
      }
      const previous: IcmOrder = { ...order, ...(order.redirect ? { redirect: { ...order.redirect } } : {}) };
      if (order.stage === 'urls_required' && redirect.successUrl && redirect.cancelUrl && redirect.failureUrl) {
        order.redirect = { successUrl: redirect.successUrl, cancelUrl: redirect.cancelUrl, failureUrl: redirect.failureUrl };
        order.stage = opts().anotherStop ? 'other_stop' : 'at_psp';
        if (order.stage === 'other_stop') {
          setTimeout(() => {
            if (order.stage !== 'other_stop') return;
            order.stage = 'at_psp';
            snap(order);
          }, 300).unref();
        }
      } else if (order.stage === 'at_psp' && typeof redirect.status === 'string') {
        order.returns += 1;
        if (redirect.status === 'SUCCESS' && opts().secondRedirect && order.returns === 1) {
          // A second Redirect (a 3-D Secure step): the stage stays at the PSP, with a new URL.
        } else if (redirect.status === 'SUCCESS') {
          if (order.basket.async) order.stage = 'waiting';
          else complete(order, 'paid');
        } else complete(order, 'failed');
      }
      // Anything else (a late CONTINUE after the PSP's notification, §2.2's end) answers the state as it is.
      if (opts().staleReads > 0 && previous.stage !== order.stage) stale.set(order.id, [previous, opts().staleReads]);
      order.answered = order.stage;
      snap(order);
      // The chain failed on this CONTINUE (the buyer cancelled, the PSP declined): `failedCreationStatus` as for the POST.
      if (previous.stage !== 'rolled_back' && order.stage === 'rolled_back' && opts().failedCreationStatus !== null) {
        if (opts().failedCreationBody === 'order') return send(response, opts().failedCreationStatus!, orderAnswer(order, opts().includeOnPatch ? asked : [], { withCreation: true }));
        return fail(response, opts().failedCreationStatus!, 'order.creation.failed', 'The order could not be created.');
      }
      // Taken, `202 Accepted` (`accepted`, round twenty-two): the order as its body below, or nothing at all.
      const acceptedPatch = opts().accepted?.on.includes('PATCH') ? opts().accepted : null;
      if (acceptedPatch?.body === 'none') {
        response.writeHead(202);
        return void response.end();
      }
      // The change made, nothing to say (`patchNoContent`): 204, as a resource whose PATCH returns void answers.
      if (opts().patchNoContent) {
        response.writeHead(204);
        return void response.end();
      }
      // Taken, and pointed to the order (`seeOther`): 303 with its URL, no body.
      if (opts().seeOther.includes('PATCH')) return pointTo(response, 303, order);
      const thin = opts().patchAnswer !== 'full';
      const body = orderAnswer(acceptedPatch?.body === 'before' ? previous : order, opts().includeOnPatch ? asked : [], { withCreation: true, thin });
      if (opts().patchAnswersContinue) body.data = { ...body.data, orderCreation: { status: word('CONTINUE') } } as typeof body.data;
      tagged(response, order);
      return answer(response, 'PATCH', acceptedPatch ? 202 : 200, body);
    }
    return fail(response, 405, 'method.not_allowed', 'Method not allowed.');
  }

  const server = createServer((request, response) => {
    handle(request, response).catch(() => {
      response.writeHead(500);
      response.end();
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;

  return {
    url: `${origin}${ICM_BASE_PATH}`,
    authToken,
    calls,
    get options() {
      return state.options;
    },
    set options(value) {
      state.options = value;
    },
    addBasket(value, currency = 'USD', how = {}) {
      const id = nextId('nN');
      const free = how.free ?? false;
      baskets.set(id, { id, value: free ? 0 : value, currency, payment: free ? 'direct' : (how.payment ?? 'redirect'), capture: how.capture ?? false, async: free ? false : (how.async ?? false), giftCard: free ? 0 : (how.giftCard ?? 0), declined: free ? false : (how.declined ?? false), free, ordered: false });
      return id;
    },
    buyerReturns(orderId) {
      const order = orders.get(orderId);
      if (!order || order.stage !== 'at_psp') throw new Error(`order ${orderId} is not at the PSP`);
      return [
        { name: 'transactionID', value: `psp-${orderId}` },
        { name: 'PaymentTransactionUUID', value: '6hgKAB2_dHIAAAFrd_44a5lI' },
      ];
    },
    pspNotifies(orderId, outcome) {
      const order = orders.get(orderId);
      if (!order) throw new Error(`no order ${orderId}`);
      if (order.stage === 'at_psp' || order.stage === 'waiting') complete(order, outcome);
      snap(order);
    },
    stageOf: (orderId) => orders.get(orderId)?.stage,
    backOffice(orderId, action) {
      const order = orders.get(orderId);
      if (!order || order.stage !== 'completed' || order.paymentWord !== 'AUTHORIZED') throw new Error(`order ${orderId} holds no authorization`);
      order.paymentWord = action === 'capture' ? 'CAPTURED' : 'AUTHORIZATIONVOIDED';
      snap(order);
    },
    fulfil(orderId, code) {
      const order = orders.get(orderId);
      if (!order || order.stage !== 'completed') throw new Error(`order ${orderId} is not placed`);
      order.fulfilment = code;
      snap(order);
    },
    held(orderId) {
      const order = orders.get(orderId);
      if (!order) return undefined;
      const placed = order.stage === 'completed';
      const captured = placed && order.paymentWord === 'CAPTURED';
      const gift = order.stage === 'rolled_back' ? 0 : Math.round(order.basket.giftCard * 100);
      const open = captured ? Math.round((order.basket.value - order.basket.giftCard) * 100) : 0;
      // capturedCents: hundredths of the major unit, whatever the currency (the money check's unit);
      // capturedMinor: the currency's own minor units (round seven: JPY has none, KWD three).
      const unit = 10 ** decimalsOf(order.basket.currency);
      const minor = (order.stage === 'rolled_back' ? 0 : Math.round(order.basket.giftCard * unit)) + (captured ? Math.round((order.basket.value - order.basket.giftCard) * unit) : 0);
      // A free order (round fifteen) owes nothing: placed, it holds all there is to hold, nothing captured.
      return { reserved: placed && (order.paymentWord === 'AUTHORIZED' || captured || order.basket.free), captured, capturedCents: gift + open, capturedMinor: minor };
    },
    turnAway(call, status = 429) {
      turnedAway.push({ call, status });
    },
    loseNextCreateAnswer() {
      loseCreateAnswer = true;
    },
    loseNextAnswer(method, how) {
      lose.push({ method, how });
    },
    moneyMoves,
    refusals,
    redirected,
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}
