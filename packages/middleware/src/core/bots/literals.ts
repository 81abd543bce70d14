/** Characters that stand for themselves after a backslash. */
const ESCAPED_LITERAL = /^[^A-Za-z0-9]$/;
/** Shortest text worth indexing: the index looks up three characters at a time. */
export const MIN_LITERAL = 3;

/** Splits a source at its top-level `|`, skipping escapes, classes and groups; null when unbalanced. */
export function branches(source: string): string[] | null {
  const parts: string[] = [];
  let depth = 0;
  let inClass = false;
  let start = 0;
  for (let at = 0; at < source.length; at++) {
    const char = source[at];
    if (char === '\\') at++;
    else if (inClass) inClass = char !== ']';
    else if (char === '[') inClass = true;
    else if (char === '(') depth++;
    else if (char === ')') depth--;
    else if (char === '|' && depth === 0) {
      parts.push(source.slice(start, at));
      start = at + 1;
    }
    if (depth < 0) return null;
  }
  if (depth !== 0 || inClass) return null;
  parts.push(source.slice(start));
  return parts;
}

/** The end of the group or class that starts at `at`, or -1. */
function skipGroup(source: string, at: number): number {
  let depth = 0;
  let inClass = false;
  for (let index = at; index < source.length; index++) {
    const char = source[index];
    if (char === '\\') index++;
    else if (inClass) inClass = char !== ']';
    else if (char === '[') {
      inClass = true;
      if (depth === 0) {
        // A class on its own: find its end.
        for (index++; index < source.length && source[index] !== ']'; index++) if (source[index] === '\\') index++;
        return index;
      }
    } else if (char === '(') depth++;
    else if (char === ')' && --depth === 0) return index;
  }
  return -1;
}

/** The longest run of plain characters every match of one branch contains, lower-cased. */
function longestRun(branch: string): string | null {
  let best = '';
  let run = '';
  const end = () => {
    if (run.length > best.length) best = run;
    run = '';
  };
  for (let at = 0; at < branch.length; at++) {
    const char = branch[at] as string;
    let literal: string | null = null;
    if (char === '\\') {
      const next = branch[++at];
      if (next !== undefined && ESCAPED_LITERAL.test(next)) literal = next;
      // Escapes that take arguments: \xHH, \uHHHH, \u{H…}, \cX, \p{…}; their text is not literal.
      else if (next === 'x') at += 2;
      else if (next === 'c') at += 1;
      else if ((next === 'u' || next === 'p' || next === 'P') && branch[at + 1] === '{') at = branch.indexOf('}', at);
      else if (next === 'u') at += 4;
      if (at === -1) return null;
    } else if (char === '{') {
      // A quantifier after something not literal, or a literal brace: either way, not indexable text.
      const quantifier = /^\{\d+(?:,\d*)?\}\??/.exec(branch.slice(at));
      if (quantifier !== null) at += quantifier[0].length - 1;
    } else if (char === '(' || char === '[') {
      const close = skipGroup(branch, at);
      if (close === -1) return null;
      at = close;
    } else if (!'.^$'.includes(char) && !'*+?{'.includes(char)) literal = char;
    // A quantifier makes the character before it optional or repeated: it ends the run there.
    const quantifier = branch[at + 1];
    if (quantifier === '?' || quantifier === '*' || (quantifier === '{' && /^\{0[,}]/.test(branch.slice(at + 1)))) {
      end();
      if (quantifier !== '{') {
        at++;
        if (branch[at + 1] === '?') at++;
      }
      continue;
    }
    if (literal === null) {
      end();
      continue;
    }
    run += literal.toLowerCase();
    if (quantifier === '+' || quantifier === '{') end();
  }
  end();
  return best === '' ? null : best;
}

/**
 * Texts of which every match of the regular expression `source` contains at least one (lower-cased),
 * each at least `minLength` characters long; null when no such set can be read from the source.
 * Sound, not complete: it reads plain characters outside groups, classes and quantifiers only.
 *
 * @example
 * requiredLiterals('ahrefs(?:bot|siteaudit)'); // ['ahrefs']
 * requiredLiterals('Googlebot\\/|adsbot-google'); // ['googlebot/', 'adsbot-google']
 * requiredLiterals('^\\w+/\\d'); // null
 */
export function requiredLiterals(source: string, minLength = MIN_LITERAL): string[] | null {
  const parts = branches(source);
  if (parts === null) return null;
  const literals = new Set<string>();
  for (const part of parts) {
    const run = longestRun(part);
    if (run === null || run.length < minLength) return null;
    literals.add(run);
  }
  return [...literals];
}
