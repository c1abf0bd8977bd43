import { describe, expect, it } from 'vitest';
import { volumesIn } from './volume-words';

describe('volumes in a station message, in the screen’s units', () => {
  const refusal = "20 L would take tank Main past 189.3 L (capacity 200 L less headroom); it holds about 175.2 L, so there is room for 14.1 L";

  it('leaves a metric screen’s text as the station wrote it', () => {
    expect(volumesIn(refusal, 'metric')).toBe(refusal);
  });

  it('writes every litre figure in gallons on a US screen', () => {
    expect(volumesIn(refusal, 'us')).toBe('5.3 gal would take tank Main past 50.0 gal (capacity 52.8 gal less headroom); it holds about 46.3 gal, so there is room for 3.7 gal');
  });

  it('leaves millilitres, rates in mL and words starting with L alone', () => {
    const text = 'Dose 2.5 mL with pH Down at 1.2 mL/s; Lights 1 Line 2 L2';
    expect(volumesIn(text, 'us')).toBe(text);
  });

  it('converts a flow rate in L/min and a volume at the end of a sentence', () => {
    expect(volumesIn('the meter read 6 L/min; filled 3.79 L.', 'us')).toBe('the meter read 1.6 gal/min; filled 1.0 gal.');
  });
});
