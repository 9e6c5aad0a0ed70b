import pino, { type Logger } from 'pino';

export type { Logger };

/**
 * Structured JSON logs. Redaction is a second line of defence: no code path logs secrets on purpose,
 * but a stray object carrying one must not leak it.
 */
export function createLogger(level = 'info', destination?: pino.DestinationStream): Logger {
  return pino(
    {
      level,
      base: { service: 'switchyard' },
      redact: {
        paths: [
          'secretKey',
          'webhookSecret',
          '*.secretKey',
          '*.webhookSecret',
          'headers.authorization',
          'headers["stripe-signature"]',
          'req.headers.authorization',
        ],
        censor: '[redacted]',
      },
    },
    destination,
  );
}
