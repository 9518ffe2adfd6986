/**
 * Roughly how many instructions RE2 compiles a pattern to, which is what its memory and its time per
 * character grow with: one per literal, more for `.`, classes and Unicode properties, and counted
 * repetitions multiply what they repeat (`\w{1000}` is a thousand `\w`s to RE2).
 */
export const patternSize = (source: string): number => {
  const open: Array<number> = []
  let size = 0
  let last = 0
  let i = 0
  while (i < source.length) {
    const c = source[i]!
    const repetition = c === "{" ? /^\{(\d+)(,(\d*))?\}/.exec(source.slice(i, i + 24)) : null
    if (repetition) {
      const least = Number(repetition[1])
      const most = repetition[3] ? Number(repetition[3]) : repetition[2] ? least + 1 : least
      size += last * (Math.max(least, most, 1) - 1)
      last *= Math.max(least, most, 1)
      i += repetition[0].length
    } else if (c === "\\") {
      const [atom, next] = escape(source, i)
      size += atom
      last = atom
      i = next
    } else if (c === "[") {
      const [atom, next] = characterClass(source, i)
      size += atom
      last = atom
      i = next
    } else if (c === "(") {
      open.push(size)
      size = 0
      last = 0
      i = source.startsWith("(?", i) ? skipGroupName(source, i + 2) : i + 1
    } else if (c === ")") {
      last = size + 1
      size = (open.pop() ?? 0) + last
      i++
    } else {
      last = c === "." ? anyCharacter : 1
      size += last
      i++
    }
  }
  return open.reduce((sum, outer) => sum + outer, size)
}

/** `.` and negated classes cover all of Unicode: several ranges of UTF-8 bytes each. */
const anyCharacter = 8
const unicodeProperty = 100
const escapes: Record<string, number> = { d: 1, w: 4, s: 6, D: anyCharacter, W: anyCharacter, S: anyCharacter }

const escape = (source: string, at: number): [number, number] => {
  const letter = source[at + 1] ?? ""
  if (letter === "p" || letter === "P") {
    const close = source[at + 2] === "{" ? source.indexOf("}", at) : at + 2
    return [unicodeProperty, (close < 0 ? source.length : close) + 1]
  }
  return [escapes[letter] ?? 1, at + 2]
}

const characterClass = (source: string, at: number): [number, number] => {
  const negated = source[at + 1] === "^"
  let i = negated ? at + 2 : at + 1
  let size = negated ? 1 + anyCharacter : 1
  while (i < source.length && source[i] !== "]") {
    if (source[i] === "\\") {
      const [atom, next] = escape(source, i)
      size += atom
      i = next
    } else {
      size += 1
      i++
    }
  }
  return [size, i + 1]
}

/** Past `:`, `<name>`, `=`, `!` or `P<name>` after `(?`. */
const skipGroupName = (source: string, at: number): number => {
  const named = /^P?<[^>]*>/.exec(source.slice(at, at + 64))
  return named ? at + named[0].length : at + 1
}
