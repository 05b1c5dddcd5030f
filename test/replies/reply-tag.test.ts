import { randomBytes } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { customerOfTag, replyTag, splitTagged, taggedAddress } from '../../src/replies/reply-tag.ts';
import { newId } from '../../src/shared/ids.ts';

describe('the reply tag', () => {
  const key = randomBytes(32);
  const company = newId();
  const customer = newId();

  it('names its customer for its company, and keeps the address within 64 characters before the @', () => {
    const tag = replyTag(key, company, customer);
    expect(tag).toMatch(/^[a-z2-7]{39}$/);
    expect(customerOfTag(key, company, tag)).toBe(customer);
    expect(customerOfTag(key, company, tag.toUpperCase())).toBe(customer);
    const address = taggedAddress('reponses@societe-a.fr', tag);
    expect(address.split('@')[0]!.length).toBeLessThanOrEqual(64);
    expect(splitTagged(address)).toEqual({ base: 'reponses@societe-a.fr', tag });
    expect(splitTagged(`<${address.toUpperCase()}>`)).toEqual({ base: 'reponses@societe-a.fr', tag });
    expect(splitTagged('reponses@societe-a.fr')).toBeNull();
  });

  it('refuses another company, another key, any altered character and any other length', () => {
    const tag = replyTag(key, company, customer);
    expect(customerOfTag(key, newId(), tag)).toBeNull();
    expect(customerOfTag(randomBytes(32), company, tag)).toBeNull();
    for (let at = 0; at < tag.length; at++) {
      const altered = `${tag.slice(0, at)}${tag[at] === 'q' ? 'r' : 'q'}${tag.slice(at + 1)}`;
      expect(customerOfTag(key, company, altered), altered).toBeNull();
    }
    expect(customerOfTag(key, company, tag.slice(1))).toBeNull();
    expect(customerOfTag(key, company, `${tag}a`)).toBeNull();
    expect(customerOfTag(key, company, tag.replace(/.$/, '1'))).toBeNull();
  });
});
