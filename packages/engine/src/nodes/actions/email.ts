import { z } from 'zod';
import { NonRetriableError } from '../../errors.js';
import { briefValue, defineNode, MAIN_OUTPUT } from '../../registry.js';
import { DEFAULT_RETRY } from '../../retry.js';
import { asOptionalText, asText, asTextList } from '../values.js';
import { retryField } from './shared.js';

const ADDRESS = /^[^\s@<>]+@[^\s@<>]+$/;

export const emailSendNode = defineNode({
  type: 'email.send',
  version: 1,
  category: 'integrations',
  label: 'Send email',
  description: 'Sends an email with text and/or HTML bodies rendered from templates.',
  config: z
    .object({
      to: z
        .union([z.string().min(1, 'required'), z.array(z.string()).min(1)])
        .describe('Address(es), e.g. {{ context.event.object.customer_email }}'),
      cc: z.union([z.string(), z.array(z.string())]).optional(),
      from: z.string().optional(),
      replyTo: z.string().optional(),
      subject: z.string().min(1, 'required').max(1_000),
      text: z.string().max(200_000).optional(),
      html: z.string().max(500_000).optional(),
      retry: retryField,
    })
    .refine((c) => c.text !== undefined || c.html !== undefined, { path: ['text'], message: 'required (or html)' }),
  outputs: [MAIN_OUTPUT],
  retry: DEFAULT_RETRY,
  icon: 'mail',
  summary: (c) => `to ${briefValue(c.to) || '…'}`,
  externalEffects: true,
  ui: {
    fields: {
      to: { label: 'To' },
      subject: { label: 'Subject' },
      text: { label: 'Text', widget: 'multiline' },
      cc: { label: 'Cc', advanced: true },
      from: { label: 'From', advanced: true },
      replyTo: { label: 'Reply to', advanced: true },
      html: { label: 'HTML', widget: 'code', language: 'html', advanced: true },
      retry: { label: 'Retries', advanced: true },
    },
  },
  async run({ config, ports, nodeId, idempotencyKey }) {
    const to = asTextList(config.to, 'to', nodeId);
    const cc = config.cc === undefined ? [] : asTextList(config.cc, 'cc', nodeId);
    if (to.length === 0) throw new NonRetriableError(`nodes[${nodeId}].config.to: no recipient`);
    for (const addr of [...to, ...cc]) {
      if (!ADDRESS.test(addr))
        throw new NonRetriableError(`nodes[${nodeId}].config.to: not an email address: ${addr.slice(0, 100)}`);
    }
    const text = asOptionalText(config.text, 'text', nodeId);
    const html = asOptionalText(config.html, 'html', nodeId);
    const from = asOptionalText(config.from, 'from', nodeId);
    const replyTo = asOptionalText(config.replyTo, 'replyTo', nodeId);
    const subject = asText(config.subject, 'subject', nodeId);
    const res = await ports.email.send({
      to,
      subject,
      idempotencyKey,
      ...(cc.length ? { cc } : {}),
      ...(from ? { from } : {}),
      ...(replyTo ? { replyTo } : {}),
      ...(text !== undefined ? { text } : {}),
      ...(html !== undefined ? { html } : {}),
    });
    return { output: { id: res.id ?? null, to, subject } };
  },
});
