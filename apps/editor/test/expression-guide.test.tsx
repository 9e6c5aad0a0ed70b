import { renderTemplate } from '@switchyard/engine';
import { sampleEvent } from '@switchyard/engine/samples';
import { cleanup, render, screen } from '@testing-library/react';
import { afterEach, describe, expect, it } from 'vitest';
import { ExpressionGuide } from '../src/inspector/ExpressionGuide.js';
import { GUIDE_EXAMPLES } from '../src/inspector/guideExamples.js';
import { sampleContext } from '../src/inspector/preview.js';

afterEach(cleanup);

async function run(expression: string, type: string) {
  const event = sampleEvent(type);
  if (!event) throw new Error(`no sample for ${type}`);
  return renderTemplate(expression, { context: sampleContext(event)! }, { field: 'guide' });
}

describe('the expression guide', () => {
  it('has five examples, each giving the value it promises on a real Stripe sample', async () => {
    expect(GUIDE_EXAMPLES).toHaveLength(5);
    const [email, amount, exists, choice, list] = GUIDE_EXAMPLES.map((e) => e!);
    const checkout = (sampleEvent('checkout.session.completed')!.data as { object: unknown }).object as {
      customer_details: { email: string };
    };
    const invoice = (sampleEvent('invoice.paid')!.data as { object: unknown }).object as {
      amount_paid: number;
      currency: string;
      lines: { data: { amount: number; description: string }[] };
    };
    expect(await run(email!.expression, email!.sample)).toBe(checkout.customer_details.email);
    expect(await run(amount!.expression, amount!.sample)).toBe(
      `${invoice.amount_paid / 100} ${invoice.currency.toUpperCase()}`,
    );
    expect(await run(exists!.expression, exists!.sample)).toBe(true);
    expect(await run(choice!.expression, choice!.sample)).toBe(invoice.amount_paid > 0 ? 'paid' : 'free');
    const big = invoice.lines.data.filter((l) => l.amount >= 500).map((l) => l.description);
    expect(big.length).toBeGreaterThan(0);
    expect(await run(list!.expression, list!.sample)).toEqual(big.length === 1 ? big[0] : big);
  });

  it('says what {{ }} is and links the JSONata reference', () => {
    render(<ExpressionGuide />);
    expect(screen.getByText('How expressions work')).toBeTruthy();
    expect(screen.getByText(/is a JSONata expression/)).toBeTruthy();
    expect(screen.getByRole('link', { name: 'JSONata language reference' }).getAttribute('href')).toBe(
      'https://docs.jsonata.org',
    );
    for (const e of GUIDE_EXAMPLES) expect(screen.getByText(e.expression)).toBeTruthy();
  });
});
