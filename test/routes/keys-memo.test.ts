/**
 * Issue 17: a role word's key (roleKeyOf) and a type word's key (typeKey) are asked for on every
 * card and deadline; each word is now worked out once and kept. The keys must be those the former
 * lookups gave (kept here as they were): the built-in words in either language, aliases, any case,
 * spaces around, unknown words, asked in any order, again, and past the bound of kept words.
 */
import fc from "fast-check";
import { ROLE_TEXT, roleKeyOf } from "../../src/core/routes/roles";
import { PROPOSAL, TYPE_WORDS, typeKey } from "../../src/core/routes/routes";

function formerRoleKey(word: string): string {
  const t = word.trim();
  const l = t.toLowerCase();
  const hit = Object.entries(ROLE_TEXT).find(
    ([k, w]) => k.toLowerCase() === l || w.zh === t || w.en.toLowerCase() === l || w.aliases?.some((a) => a.toLowerCase() === l),
  );
  return hit ? hit[0] : t;
}

function formerTypeKey(text: string | undefined): string {
  const t = (text ?? "").trim();
  if (!t) return PROPOSAL;
  const hit = Object.entries(TYPE_WORDS).find(([, w]) => w.zh === t || w.en.toLowerCase() === t.toLowerCase());
  return hit ? hit[0] : t;
}

const known = [
  ...Object.entries(ROLE_TEXT).flatMap(([k, w]) => [k, w.zh, w.en, ...(w.aliases ?? [])]),
  ...Object.entries(TYPE_WORDS).flatMap(([k, w]) => [k, w.zh, w.en]),
];
const variant = fc
  .tuple(fc.constantFrom(...known), fc.constantFrom("", " ", "  ", "\t"), fc.constantFrom("", " ", "\u3000"), fc.nat(2))
  .map(([w, a, b, c]) => `${a}${c === 1 ? w.toUpperCase() : c === 2 ? w.toLowerCase() : w}${b}`);
const word = fc.oneof(variant, fc.string({ maxLength: 6 }), fc.string({ unit: "grapheme", maxLength: 4 }));

test("role and type keys kept per word are the keys the former lookups gave", () => {
  fc.assert(
    fc.property(fc.array(word, { maxLength: 40 }), (words) => {
      for (const w of [...words, ...words]) {
        expect([w, roleKeyOf(w)]).toEqual([w, formerRoleKey(w)]);
        expect([w, typeKey(w)]).toEqual([w, formerTypeKey(w)]);
      }
      expect(typeKey(undefined)).toBe(formerTypeKey(undefined));
    }),
    { numRuns: 300 },
  );
  // Past the bound of kept words: still the same keys.
  for (let i = 0; i < 2500; i++) {
    const w = i % 7 === 0 ? ` ${known[i % known.length].toUpperCase()} ` : `角色${i}`;
    expect(roleKeyOf(w)).toBe(formerRoleKey(w));
    expect(typeKey(w)).toBe(formerTypeKey(w));
  }
});
