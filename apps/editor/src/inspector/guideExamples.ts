/** The expression guide's examples, each on the Stripe sample event it is tested against. */

export interface GuideExample {
  title: string;
  expression: string;
  /** The sample event type it reads (`@switchyard/engine/samples`). */
  sample: string;
}

export const JSONATA_DOCS = 'https://docs.jsonata.org';

export const GUIDE_EXAMPLES: readonly GuideExample[] = [
  {
    title: 'A value from the event',
    expression: '{{ context.event.object.customer_details.email }}',
    sample: 'checkout.session.completed',
  },
  {
    title: 'Text built from values',
    expression:
      "{{ $string(context.event.object.amount_paid / 100) & ' ' & $uppercase(context.event.object.currency) }}",
    sample: 'invoice.paid',
  },
  {
    title: 'Whether a field is there',
    expression: '{{ $exists(context.event.object.customer_details.email) }}',
    sample: 'checkout.session.completed',
  },
  {
    title: 'Choose between two values',
    expression: "{{ context.event.object.amount_paid > 0 ? 'paid' : 'free' }}",
    sample: 'invoice.paid',
  },
  {
    title: 'Pick from a list',
    expression: '{{ $filter(context.event.object.lines.data, function($l) { $l.amount >= 500 }).description }}',
    sample: 'invoice.paid',
  },
];
