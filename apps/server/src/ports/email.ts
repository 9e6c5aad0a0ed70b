/**
 * The engine's EmailPort over nodemailer's SMTP transport (SMTP_URL, e.g.
 * smtp://user:pass@smtp.example.com:587 or smtps://...:465).
 *
 * Every message carries a Message-ID derived from its idempotency key and an
 * X-Switchyard-Idempotency-Key header, so a retried send is recognisable to
 * receivers and to the port itself (a key already sent by this process
 * answers the earlier result without sending again).
 */
import { createHash } from 'node:crypto';
import { type EmailMessage, type EmailPort, NonRetriableError, RetryableError } from '@switchyard/engine';
import nodemailer from 'nodemailer';

/** An environment's own SMTP server (set in the editor), which takes the place of SMTP_URL and SMTP_FROM. */
export interface SmtpTarget {
  url: string;
  from: string | null;
}

export interface EmailPortOptions {
  /** SMTP_URL; sending fails with a NonRetriableError when neither it nor `settings` gives a server. */
  smtpUrl: string | undefined;
  /** SMTP_FROM: the sender when a node gives none. */
  defaultFrom?: string;
  /** Read at each send: the environment's SMTP settings, when it has any. */
  settings?: () => Promise<SmtpTarget | undefined>;
  /** Connection, greeting and socket timeouts; default 15 s. */
  timeoutMs?: number;
}

export const IDEMPOTENCY_HEADER = 'X-Switchyard-Idempotency-Key';
const SENT_MEMORY = 10_000;
/** Codes of failures the message itself causes; a retry sends the same message. */
const PERMANENT_CODES = new Set([
  'EENVELOPE',
  'EMESSAGE',
  'ECONFIG',
  'EAUTH',
  'ENOAUTH',
  'EREQUIRETLS',
  'EMAXRECIPIENTS',
]);

/** `<hash@domain>`: the same key and sender always give the same Message-ID. */
export function messageIdFor(idempotencyKey: string, from: string): string {
  const domain = /@([A-Za-z0-9.-]+)>?\s*$/.exec(from)?.[1] ?? 'switchyard.invalid';
  const hash = createHash('sha256').update(idempotencyKey).digest('hex').slice(0, 40);
  return `<sy.${hash}@${domain}>`;
}

export function createEmailPort(options: EmailPortOptions): EmailPort {
  // One transport per server URL: an environment's settings can change while the process runs.
  const transports = new Map<string, ReturnType<typeof nodemailer.createTransport>>();
  const sent = new Map<string, { id?: string }>();
  const timeout = options.timeoutMs ?? 15_000;

  return {
    async send(msg: EmailMessage): Promise<{ id?: string }> {
      const own = await options.settings?.();
      const url = own?.url ?? options.smtpUrl;
      if (!url) throw new NonRetriableError('SMTP_URL is not set');
      const earlier = sent.get(msg.idempotencyKey);
      if (earlier) return earlier;
      const from = msg.from ?? own?.from ?? options.defaultFrom;
      if (!from)
        throw new NonRetriableError(
          'no sender address: set "from" on the node, a from address for the environment or SMTP_FROM on the server',
        );
      let transport = transports.get(url);
      if (!transport) {
        if (transports.size >= 16) transports.clear();
        transport = nodemailer.createTransport({
          url,
          connectionTimeout: timeout,
          greetingTimeout: timeout,
          socketTimeout: timeout,
        });
        transports.set(url, transport);
      }
      const messageId = messageIdFor(msg.idempotencyKey, from);
      try {
        const info = await transport.sendMail({
          from,
          to: msg.to,
          ...(msg.cc?.length ? { cc: msg.cc } : {}),
          ...(msg.replyTo ? { replyTo: msg.replyTo } : {}),
          subject: msg.subject,
          ...(msg.text !== undefined ? { text: msg.text } : {}),
          ...(msg.html !== undefined ? { html: msg.html } : {}),
          messageId,
          headers: { [IDEMPOTENCY_HEADER]: msg.idempotencyKey },
        });
        const result = { id: info.messageId || messageId };
        if (sent.size >= SENT_MEMORY) sent.delete(sent.keys().next().value!);
        sent.set(msg.idempotencyKey, result);
        return result;
      } catch (err) {
        throw mapSmtpError(err);
      }
    },
  };
}

/** SMTP 5xx and malformed messages are permanent; 4xx, timeouts and dropped connections are retried. */
export function mapSmtpError(err: unknown): Error {
  const e = err as { responseCode?: number; code?: string; response?: string; message?: string };
  const detail = (e.response ?? e.message ?? String(err)).slice(0, 500);
  if (typeof e.responseCode === 'number') {
    if (e.responseCode >= 500)
      return new NonRetriableError(`SMTP server refused the message (${e.responseCode}): ${detail}`, { cause: err });
    return new RetryableError(`SMTP server deferred the message (${e.responseCode}): ${detail}`, { cause: err });
  }
  if (e.code && PERMANENT_CODES.has(e.code))
    return new NonRetriableError(`email not sent (${e.code}): ${detail}`, { cause: err });
  return new RetryableError(`email not sent${e.code ? ` (${e.code})` : ''}: ${detail}`, { cause: err });
}
