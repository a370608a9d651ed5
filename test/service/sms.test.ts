// SMS senders against local HTTP servers speaking Twilio's and SMSFactor's documented requests and answers.
import { createServer, type IncomingHttpHeaders, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { memoryLogger } from '../../service/log.js';
import { DeliveryError } from '../../service/notify/delivery-error.js';
import { createSmsSender, maskPhone } from '../../service/notify/sms/index.js';

interface Received {
  method: string;
  path: string;
  headers: IncomingHttpHeaders;
  body: string;
}

type Answer = { status: number; json?: unknown; raw?: string } | 'hang';

interface FakeProvider {
  base: string;
  received: Received[];
}

const servers: Server[] = [];

afterEach(async () => {
  for (const server of servers.splice(0)) {
    server.closeAllConnections();
    await new Promise((resolve) => server.close(resolve));
  }
});

/** An HTTP server on 127.0.0.1 that records each request and answers what `answer` says. */
async function fakeProvider(answer: (req: Received) => Answer): Promise<FakeProvider> {
  const received: Received[] = [];
  const server = createServer((req, res) => {
    let body = '';
    req.setEncoding('utf8');
    req.on('data', (chunk: string) => (body += chunk));
    req.on('end', () => {
      const request = { method: req.method ?? '', path: req.url ?? '', headers: req.headers, body };
      received.push(request);
      const reply = answer(request);
      if (reply === 'hang') return;
      if (reply.raw !== undefined) {
        res.writeHead(reply.status, { 'content-type': 'text/html' }).end(reply.raw);
      } else {
        res.writeHead(reply.status, { 'content-type': 'application/json' }).end(JSON.stringify(reply.json));
      }
    });
  });
  servers.push(server);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return { base: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, received };
}

async function deliveryError(promise: Promise<unknown>): Promise<DeliveryError> {
  try {
    await promise;
  } catch (err) {
    expect(err).toBeInstanceOf(DeliveryError);
    return err as DeliveryError;
  }
  throw new Error('expected the send to fail');
}

const TO = '+33612345678';
const SID = 'AC0123456789abcdef0123456789abcdef';
const TOKEN = 's3cr3t-auth-token';

describe('Twilio sender', () => {
  const created = { sid: 'SM0123456789abcdef0123456789abcdef', status: 'queued', to: TO, body: 'x' };

  it('posts To, From and Body form-encoded with Basic auth to the account Messages resource', async () => {
    const provider = await fakeProvider(() => ({ status: 201, json: created }));
    const sender = createSmsSender(`twilio://${SID}:${TOKEN}@?from=+33700000000&base=${provider.base}`, memoryLogger());
    const body = 'Réf. CB-7K3F9Q : rappel & suivi + infos';

    await expect(sender.send(TO, body)).resolves.toEqual({ providerId: created.sid });

    expect(sender.name).toBe('twilio');
    const [req] = provider.received;
    expect(req?.method).toBe('POST');
    expect(req?.path).toBe(`/2010-04-01/Accounts/${SID}/Messages.json`);
    expect(req?.headers.authorization).toBe('Basic ' + Buffer.from(`${SID}:${TOKEN}`).toString('base64'));
    expect(req?.headers['content-type']).toBe('application/x-www-form-urlencoded');
    const form = new URLSearchParams(req?.body);
    expect(Object.fromEntries(form)).toEqual({ To: TO, From: '+33700000000', Body: body });
  });

  it('sends MessagingServiceSid instead of From when configured so', async () => {
    const provider = await fakeProvider(() => ({ status: 201, json: created }));
    const sender = createSmsSender(`twilio://${SID}:${TOKEN}@?messagingServiceSid=MG42&base=${provider.base}`, memoryLogger());
    await sender.send(TO, 'ok');
    const form = new URLSearchParams(provider.received[0]?.body);
    expect(form.get('MessagingServiceSid')).toBe('MG42');
    expect(form.has('From')).toBe(false);
  });

  it.each([
    [400, { code: 21211, message: "The 'To' number +33612345678 is not a valid phone number.", status: 400 }, true, '21211'],
    [400, { code: 21610, message: 'Attempt to send to unsubscribed recipient', status: 400 }, true, '21610'],
    [400, { code: 21614, message: "'To' number is not a valid mobile number", status: 400 }, true, '21614'],
    [401, { code: 20003, message: 'Authenticate', status: 401 }, true, '20003'],
    [429, { code: 20429, message: 'Too Many Requests', status: 429 }, false, '20429'],
    [500, { code: 20500, message: 'Internal Server Error', status: 500 }, false, '20500'],
  ])('maps HTTP %i %j to permanent=%s', async (status, json, permanent, code) => {
    const provider = await fakeProvider(() => ({ status, json: { ...json, more_info: `https://www.twilio.com/docs/errors/${json.code}` } }));
    const sender = createSmsSender(`twilio://${SID}:${TOKEN}@?from=+33700000000&base=${provider.base}`, memoryLogger());
    const err = await deliveryError(sender.send(TO, 'Votre rappel'));
    expect(err.permanent).toBe(permanent);
    expect(err.providerCode).toBe(code);
  });

  it('treats a 503 HTML page from a proxy as transient', async () => {
    const provider = await fakeProvider(() => ({ status: 503, raw: '<html>Service Unavailable</html>' }));
    const sender = createSmsSender(`twilio://${SID}:${TOKEN}@?from=+33700000000&base=${provider.base}`, memoryLogger());
    const err = await deliveryError(sender.send(TO, 'Votre rappel'));
    expect(err).toMatchObject({ permanent: false, providerCode: 'http_503' });
  });

  it('keeps the recipient number and the body out of the error message', async () => {
    const provider = await fakeProvider(() => ({
      status: 400,
      json: { code: 21211, message: "The 'To' number +33612345678 (33612345678, 0612345678) is not valid.", status: 400 },
    }));
    const sender = createSmsSender(`twilio://${SID}:${TOKEN}@?from=+33700000000&base=${provider.base}`, memoryLogger());
    const err = await deliveryError(sender.send(TO, 'douleur thoracique'));
    expect(err.message).not.toMatch(/612345678/);
    expect(err.message).toContain('+33 6** ** ** 78');
    expect(err.message).not.toContain('douleur');
    expect(err.message).not.toContain(TOKEN);
  });
});

describe('SMSFactor sender', () => {
  const ok = { status: 1, message: 'OK', ticket: '14672468', cost: 1, credits: 641, total: 1, sent: 1, blacklisted: 0, duplicated: 0, invalid: 0, npai: 0 };

  it('posts the documented JSON campaign with a Bearer token and the number without +', async () => {
    const provider = await fakeProvider(() => ({ status: 200, json: ok }));
    const sender = createSmsSender(`smsfactor://my.jwt.token@?sender=CABINET&base=${provider.base}`, memoryLogger());

    await expect(sender.send(TO, 'Rappel CB-7K3F9Q bien recu')).resolves.toEqual({ providerId: '14672468' });

    expect(sender.name).toBe('smsfactor');
    const [req] = provider.received;
    expect(req?.method).toBe('POST');
    expect(req?.path).toBe('/send');
    expect(req?.headers.authorization).toBe('Bearer my.jwt.token');
    expect(req?.headers['content-type']).toBe('application/json');
    expect(req?.headers.accept).toBe('application/json');
    expect(JSON.parse(req?.body ?? '')).toEqual({
      sms: {
        message: { text: 'Rappel CB-7K3F9Q bien recu', pushtype: 'alert', sender: 'CABINET', unicode: 0 },
        recipients: { gsm: [{ value: '33612345678' }] },
      },
    });
  });

  it('asks for unicode mode when the body holds a character outside GSM-7, and omits an unset sender', async () => {
    const provider = await fakeProvider(() => ({ status: 200, json: ok }));
    const sender = createSmsSender(`smsfactor://tok@?base=${provider.base}`, memoryLogger());
    await sender.send(TO, 'À bientôt');
    const message = JSON.parse(provider.received[0]?.body ?? '').sms.message;
    expect(message.unicode).toBe(1);
    expect(message).not.toHaveProperty('sender');
  });

  it('counts a campaign held for moderation (-8) as accepted, since the docs say it will be sent', async () => {
    const provider = await fakeProvider(() => ({ status: 200, json: { ...ok, status: -8, message: 'Moderation' } }));
    const sender = createSmsSender(`smsfactor://tok@?base=${provider.base}`, memoryLogger());
    await expect(sender.send(TO, 'ok')).resolves.toEqual({ providerId: '14672468' });
  });

  it('reaches a base with a path prefix', async () => {
    const provider = await fakeProvider(() => ({ status: 200, json: ok }));
    const sender = createSmsSender(`smsfactor://tok@?base=${provider.base}/eu/`, memoryLogger());
    await sender.send(TO, 'ok');
    expect(provider.received[0]?.path).toBe('/eu/send');
  });

  it.each([
    ['authentication error', 200, { status: -1, message: 'Authentication error', details: 'Invalid token' }, true, '-1'],
    ['authentication error with HTTP 401', 401, { status: -1, message: 'Unauthorized' }, true, '-1'],
    ['data error', 200, { status: -7, message: 'Data error' }, true, '-7'],
    ['invalid number filtered', 200, { ...ok, sent: 0, invalid: 1, ticket: undefined }, true, 'invalid'],
    ['blacklisted number (STOP)', 200, { ...ok, sent: 0, blacklisted: 1 }, true, 'blacklisted'],
    ['NPAI number', 200, { ...ok, sent: 0, npai: 1 }, true, 'npai'],
    ['anti-flood filter', 200, { ...ok, sent: 0, flood: 1 }, false, 'flood'],
    ['not enough credits', 200, { status: -3, message: 'Not enough credits' }, false, '-3'],
    ['unknown error', 200, { status: -99, message: 'Unknown error' }, false, '-99'],
    ['too many requests', 429, { message: 'Too Many Requests' }, false, 'http_429'],
    ['server error', 502, { message: 'Bad Gateway' }, false, 'http_502'],
    ['forbidden without a status', 403, { message: 'Forbidden' }, true, 'http_403'],
  ])('maps %s to permanent=%s', async (_what, status, json, permanent, code) => {
    const provider = await fakeProvider(() => ({ status, json }));
    const sender = createSmsSender(`smsfactor://tok@?base=${provider.base}`, memoryLogger());
    const err = await deliveryError(sender.send(TO, 'Votre rappel'));
    expect(err.permanent).toBe(permanent);
    expect(err.providerCode).toBe(code);
  });

  it('treats a 200 answer that is not JSON as transient', async () => {
    const provider = await fakeProvider(() => ({ status: 200, raw: '<html>captive portal</html>' }));
    const sender = createSmsSender(`smsfactor://tok@?base=${provider.base}`, memoryLogger());
    const err = await deliveryError(sender.send(TO, 'Votre rappel'));
    expect(err).toMatchObject({ permanent: false, providerCode: 'bad_response' });
  });
});

describe('network failures', () => {
  it.each(['twilio', 'smsfactor'])('gives up on a %s server that never answers after timeoutMs, as transient', async (scheme) => {
    const provider = await fakeProvider(() => 'hang');
    const url = scheme === 'twilio' ? `twilio://${SID}:${TOKEN}@?from=+33700000000&base=${provider.base}` : `smsfactor://tok@?base=${provider.base}`;
    const sender = createSmsSender(url, memoryLogger(), { timeoutMs: 150 });
    const started = performance.now();
    const err = await deliveryError(sender.send(TO, 'Votre rappel'));
    expect(performance.now() - started).toBeLessThan(2_000);
    expect(err).toMatchObject({ permanent: false, providerCode: 'timeout' });
    expect(provider.received).toHaveLength(1);
  });

  it('reports a refused connection as a transient network error', async () => {
    const provider = await fakeProvider(() => ({ status: 200, json: {} }));
    const closed = servers.pop()!;
    await new Promise((resolve) => closed.close(resolve));
    const sender = createSmsSender(`smsfactor://tok@?base=${provider.base}`, memoryLogger(), { timeoutMs: 2_000 });
    const err = await deliveryError(sender.send(TO, 'Votre rappel'));
    expect(err).toMatchObject({ permanent: false, providerCode: 'network' });
    expect(err.message).toContain('ECONNREFUSED');
  });

  it('uses the fetch it is given', async () => {
    const calls: string[] = [];
    const fakeFetch = (async (input: string | URL | Request) => {
      calls.push(String(input));
      return new Response(JSON.stringify({ status: 1, sent: 1, ticket: 7 }), { status: 200 });
    }) as typeof fetch;
    const sender = createSmsSender('smsfactor://tok@', memoryLogger(), { fetch: fakeFetch });
    await expect(sender.send(TO, 'ok')).resolves.toEqual({ providerId: '7' });
    expect(calls).toEqual(['https://api.smsfactor.com/send']);
  });
});

describe('createSmsSender configuration', () => {
  it.each([undefined, '', '  ', 'log:'])('gives the logging sender for %j', (url) => {
    expect(createSmsSender(url, memoryLogger()).name).toBe('log');
  });

  it.each([
    ['unknown provider', 'ovh://key:secret@?sender=X', /unknown provider "ovh:"/],
    ['not a URL', 'twilio SID TOKEN', /not a provider URL/],
    ['missing token', `twilio://${SID}@?from=+33700000000`, /ACCOUNT_SID:AUTH_TOKEN/],
    ['no sender at all', `twilio://${SID}:${TOKEN}@`, /from=.*messagingServiceSid=/],
    ['a sender that is neither a number nor an ID', `twilio://${SID}:${TOKEN}@?from=Cabinet-Martin-Dupont`, /from= must be/],
    ['a misspelt parameter', `twilio://${SID}:${TOKEN}@?form=+33700000000`, /unknown parameter "form"/],
    ['a host after the @', `twilio://${SID}:${TOKEN}@api.twilio.com?from=+33700000000`, /base=/],
    ['a base in another scheme', `smsfactor://tok@?base=ftp://example.org`, /http:\/\/ or https:\/\//],
    ['a base that is not a URL', `smsfactor://tok@?base=127.0.0.1:8080`, /base= is not a URL|http:\/\/ or https:\/\//],
    ['a smsfactor token with a password part', `smsfactor://tok:${TOKEN}@`, /token alone/],
    ['a sender too long for SMS', 'smsfactor://tok@?sender=CABINETMARTIN', /sender= must be/],
    ['a broken %-escape', `twilio://${SID}:${TOKEN}%zz@?from=+33700000000`, /%-escape/],
    ['a repeated parameter', 'smsfactor://tok@?sender=AAA&sender=BBB', /twice/],
    ['parameters on log:', 'log:?verbose=1', /unknown parameter/],
  ])('refuses %s with one line naming SMS_URL and not the secret', (_what, url, problem) => {
    let thrown: unknown;
    try {
      createSmsSender(url, memoryLogger());
    } catch (err) {
      thrown = err;
    }
    expect(thrown).toBeInstanceOf(Error);
    const message = (thrown as Error).message;
    expect(message).toMatch(/^SMS_URL: /);
    expect(message).toMatch(problem);
    expect(message).not.toContain('\n');
    expect(message).not.toContain(TOKEN);
  });

  it('keeps the + of from= (a plain URL parser would read it as a space)', async () => {
    const provider = await fakeProvider(() => ({ status: 201, json: { sid: 'SM1' } }));
    await createSmsSender(`twilio://${SID}:${TOKEN}@?from=+33700000000&base=${provider.base}`, memoryLogger()).send(TO, 'ok');
    expect(new URLSearchParams(provider.received[0]?.body).get('From')).toBe('+33700000000');
  });

  it('decodes %-escaped credentials', async () => {
    const provider = await fakeProvider(() => ({ status: 201, json: { sid: 'SM1' } }));
    await createSmsSender(`twilio://${SID}:a%2Fb%40c@?from=CABINET&base=${provider.base}`, memoryLogger()).send(TO, 'ok');
    expect(provider.received[0]?.headers.authorization).toBe('Basic ' + Buffer.from(`${SID}:a/b@c`).toString('base64'));
  });
});

describe('logging sender', () => {
  it('logs the masked number, the length and the segment count, never the body', async () => {
    const log = memoryLogger();
    const body = 'Cabinet Martin : demande de Jeanne Dupont pour douleur thoracique, réf. CB-7K3F9Q';
    await expect(createSmsSender(undefined, log).send(TO, body)).resolves.toEqual({});
    expect(log.lines).toHaveLength(1);
    const line = JSON.parse(log.lines[0]!);
    expect(line).toMatchObject({ event: 'sms_logged', to: '+33 6** ** ** 78', length: [...body].length, segments: 1, encoding: 'GSM-7' });
    for (const fragment of ['Jeanne', 'Dupont', 'douleur', 'thoracique', 'CB-7K3F9Q', '612345678']) {
      expect(log.lines[0]).not.toContain(fragment);
    }
  });
});

describe('maskPhone', () => {
  it.each([
    ['+33612345678', '+33 6** ** ** 78'],
    ['+33142685300', '+33 1** ** ** 00'],
    ['+447911123456', '+44 7* ** ** ** 56'],
    ['+262692123456', '+262 6** ** ** 56'],
    ['12', '***'],
  ])('masks %s as %s', (input, masked) => {
    expect(maskPhone(input)).toBe(masked);
  });
});
