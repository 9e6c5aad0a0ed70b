/** A short, collapsed help on `{{ }}` expressions: what they are, examples on Stripe payloads, the reference. */
import { GUIDE_EXAMPLES, JSONATA_DOCS } from './guideExamples.js';

export function ExpressionGuide() {
  return (
    <details className="guide">
      <summary>How expressions work</summary>
      <p>
        Text inside <code>{'{{ }}'}</code> is a JSONata expression, worked out when the node runs.{' '}
        <code>context.event</code> is the Stripe event (its object under <code>context.event.object</code>),{' '}
        <code>context.steps.&lt;id&gt;</code> what an earlier node returned. A field that is one whole{' '}
        <code>{'{{ }}'}</code> keeps the value&apos;s type (a number, a list); mixed with text it becomes text.
      </p>
      <ul>
        {GUIDE_EXAMPLES.map((e) => (
          <li key={e.expression} className="guide-example">
            <span>{e.title}</span>
            <code>{e.expression}</code>
          </li>
        ))}
      </ul>
      <p>
        <a href={JSONATA_DOCS} target="_blank" rel="noreferrer">
          JSONata language reference
        </a>
      </p>
    </details>
  );
}
