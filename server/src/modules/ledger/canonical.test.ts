import { describe, expect, it } from "vitest";
import { canonicalJson, canonicalSha256 } from "./canonical.js";

describe("canonical JSON (RFC 8785 subset)", () => {
  it("sorts keys at every depth and drops whitespace", () => {
    expect(canonicalJson({ b: 1, a: { d: [3, { z: true, y: null }], c: "x" } })).toBe('{"a":{"c":"x","d":[3,{"y":null,"z":true}]},"b":1}');
  });

  it("orders keys by UTF-16 code units, as RFC 8785 §3.2.3's example", () => {
    // The RFC's sorting example: \u20ac (€), \r, \ufb33, 1, \ud83d\ude00 (😀), \u0080, \u00f6 (ö).
    const input = { "\u20ac": "Euro Sign", "\r": "Carriage Return", "\ufb33": "Hebrew Letter Dalet With Dagesh", "1": "One", "\ud83d\ude00": "Emoji: Grinning Face", "\u0080": "Control", "\u00f6": "Latin Small Letter O With Diaeresis" };
    const order = Object.keys(JSON.parse(canonicalJson(input)) as object);
    // JSON.parse re-orders the integer-like key "1" first; check the text instead.
    const text = canonicalJson(input);
    const positions = ["\\r", '"1"', "\u0080", "\u00f6", "\u20ac", "\ud83d\ude00", "\ufb33"].map((k) => text.indexOf(k));
    expect(positions.every((p, i) => p >= 0 && (i === 0 || p > positions[i - 1]!))).toBe(true);
    expect(order).toHaveLength(7);
  });

  it("writes numbers in their shortest round-trip form, as RFC 8785 Appendix B", () => {
    expect(canonicalJson([0, -0, 1e21, 1e-7, 333333333.33333329, 4.5, 0.000001, 1e23, -1.5e-300, 9007199254740991])).toBe(
      "[0,0,1e+21,1e-7,333333333.3333333,4.5,0.000001,1e+23,-1.5e-300,9007199254740991]",
    );
  });

  it("escapes strings as JSON.stringify does", () => {
    expect(canonicalJson({ s: 'a"b\\c\n\u0001\u2028é😀' })).toBe('{"s":"a\\"b\\\\c\\n\\u0001\u2028é😀"}');
  });

  it("refuses what JSON cannot hold, leaves out undefined properties, writes dates as ISO strings", () => {
    for (const bad of [NaN, Infinity, -Infinity, 1n, () => 1, Symbol("x"), [undefined], new Map(), new Set(), /x/, Buffer.from("x"), new Date(NaN)]) {
      expect(() => canonicalJson({ v: bad }), String(bad)).toThrow(TypeError);
    }
    expect(canonicalJson({ a: undefined, b: 1 })).toBe('{"b":1}');
    class Input {
      b = 2;
      a = "x";
    }
    expect(canonicalJson([new Input()])).toBe('[{"a":"x","b":2}]');
    expect(canonicalJson({ at: new Date(Date.UTC(2026, 0, 2, 3, 4, 5, 6)) })).toBe('{"at":"2026-01-02T03:04:05.006Z"}');
  });

  it("gives equal hashes to equal values written in any key order", () => {
    expect(canonicalSha256({ x: 1, y: [1, 2] })).toEqual(canonicalSha256({ y: [1, 2], x: 1 }));
    expect(canonicalSha256({ x: 1 })).not.toEqual(canonicalSha256({ x: 2 }));
    expect(canonicalSha256({}).toString("hex")).toBe("44136fa355b3678a1146ad16f7e8649e94fb4fc21fe77e8310c060f61caaff8a");
  });
});
