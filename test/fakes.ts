/** Real peers on loopback for tests: an SMTP server that keeps what it receives, one that hangs, and Twilio's Messages API. */
import { createServer, type Server } from 'node:http';
import { createServer as createTcpServer, type AddressInfo, type Socket } from 'node:net';
import { SMTPServer } from 'smtp-server';
import { simpleParser } from 'mailparser';

export interface ReceivedMail {
  to: string[];
  subject: string;
  text: string;
  html: string;
}

/**
 * An SMTP server on 127.0.0.1; recipients at a domain of `refusedDomains` (`refuse.example` unless a test changes it)
 * get a permanent 550.
 */
export async function startSmtp(): Promise<{ url: string; mails: ReceivedMail[]; refusedDomains: Set<string>; close(): Promise<void> }> {
  const mails: ReceivedMail[] = [];
  const refusedDomains = new Set(['refuse.example']);
  const server = new SMTPServer({
    authOptional: true,
    disabledCommands: ['STARTTLS'],
    logger: false,
    onRcptTo(address, _session, callback) {
      if (refusedDomains.has(address.address.split('@').pop()!)) return callback(Object.assign(new Error('No such user'), { responseCode: 550 }));
      callback();
    },
    onData(stream, session, callback) {
      simpleParser(stream)
        .then((mail) => {
          mails.push({ to: session.envelope.rcptTo.map((r) => r.address), subject: mail.subject ?? '', text: mail.text ?? '', html: typeof mail.html === 'string' ? mail.html : '' });
          callback();
        })
        .catch(callback);
    },
  });
  await new Promise<void>((resolve, reject) => {
    // A client gone mid-session (a service killed while sending, as the crash tests do) is no failure of the server's:
    // its ECONNRESET, emitted here, would otherwise be thrown as an uncaught exception in the test process.
    server.on('error', (error: NodeJS.ErrnoException) => {
      if (error.code !== 'ECONNRESET' && error.code !== 'EPIPE') reject(error);
    });
    server.listen(0, '127.0.0.1', resolve);
  });
  const { port } = (server as unknown as { server: { address(): AddressInfo } }).server.address();
  return { url: `smtp://127.0.0.1:${port}`, mails, refusedDomains, close: () => new Promise((resolve) => server.close(() => resolve())) };
}

/**
 * An SMTP server that accepts the TCP connection and never says a word, not even the greeting:
 * what a hung relay looks like to a client. `connections` counts the connections opened so far.
 */
export async function startHungSmtp(): Promise<{ url: string; connections(): number; close(): Promise<void> }> {
  const sockets = new Set<Socket>();
  let connections = 0;
  const server = createTcpServer((socket) => {
    connections++;
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
    // A client that gives up resets the connection; that is the point, not a failure of the fake.
    socket.on('error', () => {});
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `smtp://127.0.0.1:${port}`,
    connections: () => connections,
    async close() {
      for (const socket of sockets) socket.destroy();
      await new Promise((resolve) => server.close(resolve));
    },
  };
}

export interface ReceivedSms {
  path: string;
  to: string;
  from: string;
  body: string;
  /** Where the sender asked Twilio to post the message's status changes ('' when it did not). */
  statusCallback: string;
}

export const TWILIO_SID = 'AC0123456789abcdef0123456789abcdef';
export const TWILIO_FROM = '+33700000000';

/** Twilio's Messages resource on 127.0.0.1; `answer` decides each reply (201 by default). `url` is the SMS_URL that reaches it. */
export async function startFakeTwilio(
  answer: (sms: ReceivedSms) => { status: number; json: unknown } = () => ({ status: 201, json: { sid: 'SM1', status: 'queued' } }),
): Promise<{ url: string; received: ReceivedSms[]; close(): Promise<void> }> {
  const received: ReceivedSms[] = [];
  const server: Server = createServer((req, res) => {
    let raw = '';
    req.setEncoding('utf8');
    req.on('data', (chunk: string) => (raw += chunk));
    req.on('end', () => {
      const form = new URLSearchParams(raw);
      const sms = { path: req.url ?? '', to: form.get('To') ?? '', from: form.get('From') ?? '', body: form.get('Body') ?? '', statusCallback: form.get('StatusCallback') ?? '' };
      received.push(sms);
      const reply = answer(sms);
      res.writeHead(reply.status, { 'content-type': 'application/json' }).end(JSON.stringify(reply.json));
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.address() as AddressInfo).port;
  return {
    url: `twilio://${TWILIO_SID}:token@?from=${TWILIO_FROM}&base=http://127.0.0.1:${port}`,
    received,
    async close() {
      server.closeAllConnections();
      await new Promise((resolve) => server.close(resolve));
    },
  };
}
