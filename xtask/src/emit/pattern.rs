//! Strings that match a schema's `pattern` (an ECMA-262 regular expression): generated
//! from the pattern by `rand_regex` with fixed seeds (the same document gives the same
//! strings), restricted to printable ASCII where the pattern allows it, and each one
//! checked with `regress`, the engine typify's generated code checks patterns with
//! (unanchored: `find`, lengths in characters). `regress` backtracks, and a pattern such
//! as `^(a+)+$` takes it exponential time on a string it does not match (seen in the
//! corpus: two documents held `corpus` for half an hour), so an ASCII string is checked
//! with the linear-time `regex` crate where the pattern has no lookaround and no
//! backreference: on ASCII both engines agree, but that `.` matches `\r` in `regex`
//! alone, so a string with `\r` is left to `regress`.
//!
//! What `regex-syntax` cannot read is adjusted first: lookarounds are left out of the
//! pattern generated from (a sample is kept only when `regress` accepts it against the
//! whole pattern), `[^]` is any character. Backreferences cannot be generated from.

use rand::SeedableRng;
use rand::distr::Distribution;
use regex_syntax::hir::{Class, ClassUnicode, ClassUnicodeRange, Hir, HirKind};

/// The length constraints a generated string must also meet (in characters).
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Lengths {
    pub min: usize,
    pub max: Option<usize>,
}

impl Lengths {
    pub fn admit(&self, s: &str) -> bool {
        let n = s.chars().count();
        n >= self.min && self.max.is_none_or(|max| n <= max)
    }
}

/// A compiled pattern: what typify's generated code checks, and what generates from it.
pub struct Pattern {
    regex: regress::Regex,
    /// The same pattern for the `regex` crate, when it has no lookaround and `regex`
    /// reads it (no backreference).
    linear: Option<regex::Regex>,
    source: String,
}

impl Pattern {
    /// `Err`: regress cannot read the pattern (typify refuses such a schema).
    pub fn new(pattern: &str) -> Result<Pattern, String> {
        let regex = regress::Regex::new(pattern)
            .map_err(|e| format!("regress cannot read the pattern `{pattern}`: {e}"))?;
        let chars: Vec<char> = pattern.chars().collect();
        let has_lookaround = (0..chars.len()).any(|i| is_lookaround(&chars[i..]));
        let linear = (!has_lookaround)
            .then(|| regex::Regex::new(&regex_syntax_text(pattern)).ok())
            .flatten();
        Ok(Pattern {
            regex,
            linear,
            source: pattern.to_owned(),
        })
    }

    /// Whether `s` matches, as typify's generated code checks it (anywhere in `s`).
    pub fn matches(&self, s: &str) -> bool {
        match &self.linear {
            // On ASCII text without `\r`, `\d`, `\w`, `\s`, `\b` and `.` mean the same
            // to both engines.
            Some(linear) if s.is_ascii() && !s.contains('\r') => linear.is_match(s),
            _ => self.regex.find(s).is_some(),
        }
    }

    /// The `nth` distinct string (from 0) generated from the pattern that matches it
    /// and meets `lengths`; `Err` says why there is none.
    pub fn generate(&self, lengths: Lengths, nth: usize) -> Result<String, String> {
        let generator = generator(&self.source)?;
        let mut found: Vec<String> = Vec::new();
        // Short strings first: unbounded repetitions (`*`, `+`, `{n,}`) repeat at most
        // `extra` more times; more when the minimum length asks for it.
        let mut extras = vec![2, 8];
        if lengths.min > 0 {
            extras.push(lengths.min as u32 + 2);
        }
        for extra in extras {
            let Ok(sampler) = rand_regex::Regex::with_hir(generator.clone(), extra) else {
                return Err(format!(
                    "no string can be generated from the pattern `{}`",
                    self.source
                ));
            };
            for seed in 0..SEEDS {
                let mut rng = rand_pcg::Pcg32::seed_from_u64(seed);
                let sample: String = sampler.sample(&mut rng);
                let Some(sample) = self.fit(sample, lengths) else {
                    continue;
                };
                if !found.contains(&sample) {
                    if found.len() == nth {
                        return Ok(sample);
                    }
                    found.push(sample);
                }
            }
        }
        Err(match found.len() {
            0 => format!(
                "no string generated from the pattern `{}` matches it{}",
                self.source,
                length_words(lengths)
            ),
            n => format!(
                "only {n} distinct strings generated from the pattern `{}` match it{}",
                self.source,
                length_words(lengths)
            ),
        })
    }

    /// `sample`, or it padded or cut to `lengths`, when that matches the pattern.
    fn fit(&self, sample: String, lengths: Lengths) -> Option<String> {
        if lengths.admit(&sample) && self.matches(&sample) {
            return Some(sample);
        }
        let n = sample.chars().count();
        let fitted = if n < lengths.min {
            // An unanchored end accepts more characters after the match.
            let mut padded = sample.clone();
            padded.extend(std::iter::repeat_n('x', lengths.min - n));
            padded
        } else if let Some(max) = lengths.max.filter(|max| n > *max) {
            sample.chars().take(max).collect()
        } else {
            return None;
        };
        (lengths.admit(&fitted) && self.matches(&fitted)).then_some(fitted)
    }
}

/// Samples tried for each repetition bound.
const SEEDS: u64 = 48;

fn length_words(lengths: Lengths) -> String {
    match (lengths.min, lengths.max) {
        (0, None) => String::new(),
        (min, None) => format!(" with at least {min} characters"),
        (min, Some(max)) => format!(" with {min} to {max} characters"),
    }
}

/// The pattern as regex-syntax reads it, assertions left out (they generate nothing;
/// regress checks them), classes narrowed to printable ASCII where they allow any.
fn generator(pattern: &str) -> Result<Hir, String> {
    let adjusted = regex_syntax_text(pattern);
    let hir = regex_syntax::ParserBuilder::new()
        .build()
        .parse(&adjusted)
        .map_err(|e| {
            let first = e.to_string();
            let first = first.lines().last().unwrap_or("").trim().to_owned();
            format!("the pattern `{pattern}` is not one rand_regex generates from ({first})")
        })?;
    Ok(printable(&hir))
}

/// An ECMA-262 pattern rewritten for regex-syntax: lookarounds (`(?=..)`, `(?!..)`,
/// `(?<=..)`, `(?<!..)`) removed, `[^]` as `[\s\S]`, `\/` as `/`.
fn regex_syntax_text(pattern: &str) -> String {
    let chars: Vec<char> = pattern.chars().collect();
    let mut out = String::with_capacity(pattern.len());
    let mut i = 0;
    let mut in_class = false;
    while i < chars.len() {
        let c = chars[i];
        match c {
            '\\' if i + 1 < chars.len() => {
                if chars[i + 1] == '/' {
                    out.push('/');
                } else {
                    out.push(c);
                    out.push(chars[i + 1]);
                }
                i += 2;
                continue;
            }
            '[' if !in_class => {
                if chars.get(i + 1) == Some(&'^') && chars.get(i + 2) == Some(&']') {
                    out.push_str(r"[\s\S]");
                    i += 3;
                    continue;
                }
                in_class = true;
                out.push(c);
                // `[]` or `[^]...`: a leading `]` is a literal in regex-syntax only.
            }
            ']' if in_class => {
                in_class = false;
                out.push(c);
            }
            '(' if !in_class && is_lookaround(&chars[i..]) => {
                i = end_of_group(&chars, i);
                continue;
            }
            _ => out.push(c),
        }
        i += 1;
    }
    out
}

fn is_lookaround(rest: &[char]) -> bool {
    matches!(
        rest,
        ['(', '?', '=' | '!', ..] | ['(', '?', '<', '=' | '!', ..]
    )
}

/// The index just after the group that opens at `start`.
fn end_of_group(chars: &[char], start: usize) -> usize {
    let mut depth = 0;
    let mut in_class = false;
    let mut i = start;
    while i < chars.len() {
        match chars[i] {
            '\\' => i += 1,
            '[' if !in_class => in_class = true,
            ']' if in_class => in_class = false,
            '(' if !in_class => depth += 1,
            ')' if !in_class => {
                depth -= 1;
                if depth == 0 {
                    return i + 1;
                }
            }
            _ => {}
        }
        i += 1;
    }
    chars.len()
}

/// `hir` without assertions, each class narrowed to its printable ASCII characters
/// when it has some.
fn printable(hir: &Hir) -> Hir {
    match hir.kind() {
        HirKind::Look(_) | HirKind::Empty => Hir::empty(),
        HirKind::Literal(_) => hir.clone(),
        HirKind::Class(Class::Unicode(class)) => {
            let mut narrowed = class.clone();
            narrowed.intersect(&ClassUnicode::new([ClassUnicodeRange::new(' ', '~')]));
            if narrowed.ranges().is_empty() {
                hir.clone()
            } else {
                Hir::class(Class::Unicode(narrowed))
            }
        }
        HirKind::Class(Class::Bytes(_)) => hir.clone(),
        HirKind::Repetition(rep) => {
            let mut rep = rep.clone();
            rep.sub = Box::new(printable(&rep.sub));
            Hir::repetition(rep)
        }
        HirKind::Capture(capture) => {
            let mut capture = capture.clone();
            capture.sub = Box::new(printable(&capture.sub));
            Hir::capture(capture)
        }
        HirKind::Concat(parts) => Hir::concat(parts.iter().map(printable).collect()),
        HirKind::Alternation(parts) => Hir::alternation(parts.iter().map(printable).collect()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn one(pattern: &str) -> String {
        Pattern::new(pattern)
            .unwrap()
            .generate(Lengths::default(), 0)
            .unwrap()
    }

    #[test]
    fn an_alternation_of_two_words_gives_one_of_them() {
        let word = one("^(alpha|beta)$");
        assert!(word == "alpha" || word == "beta", "{word}");
        let p = Pattern::new("^(alpha|beta)$").unwrap();
        let second = p.generate(Lengths::default(), 1).unwrap();
        assert_ne!(second, word);
        assert!(p.generate(Lengths::default(), 2).is_err());
    }

    #[test]
    fn classes_are_printable_ascii_and_the_result_is_deterministic() {
        let code = one(r"^[A-Z]{3}-\d{4}$");
        assert!(Pattern::new(r"^[A-Z]{3}-\d{4}$").unwrap().matches(&code));
        assert!(code.is_ascii(), "{code}");
        assert_eq!(code, one(r"^[A-Z]{3}-\d{4}$"));
        let any = one("^.{5}$");
        assert!(any.chars().all(|c| (' '..='~').contains(&c)), "{any:?}");
    }

    #[test]
    fn lengths_are_met_by_generating_longer_or_padding() {
        let p = Pattern::new("^[a-z]+$").unwrap();
        let s = p
            .generate(
                Lengths {
                    min: 20,
                    max: Some(22),
                },
                0,
            )
            .unwrap();
        assert!((20..=22).contains(&s.len()), "{s}");
        // Unanchored: any text after a match.
        let p = Pattern::new("^ab").unwrap();
        let s = p.generate(Lengths { min: 6, max: None }, 0).unwrap();
        assert!(s.starts_with("ab") && s.len() >= 6, "{s}");
    }

    #[test]
    fn lookarounds_are_checked_not_generated_from() {
        let p = Pattern::new(r"^(?=.*\d)[a-z0-9]{6}$").unwrap();
        let s = p.generate(Lengths::default(), 0).unwrap();
        assert!(s.chars().any(|c| c.is_ascii_digit()) && s.len() == 6, "{s}");
        assert_eq!(regex_syntax_text(r"^(?!x(y)[)])a\/b$"), "^a/b$");
    }

    #[test]
    fn what_cannot_be_generated_says_why() {
        // A backreference: regex-syntax cannot read it.
        let p = Pattern::new(r"^(a)\1$").unwrap();
        let err = p.generate(Lengths::default(), 0).unwrap_err();
        assert!(err.contains("not one rand_regex generates from"), "{err}");
        // No string of the pattern is that short.
        let p = Pattern::new("^abcdef$").unwrap();
        let err = p
            .generate(
                Lengths {
                    min: 0,
                    max: Some(3),
                },
                0,
            )
            .unwrap_err();
        assert!(err.contains("with 0 to 3 characters"), "{err}");
        assert!(Pattern::new("(").is_err());
    }

    #[test]
    fn a_pattern_that_backtracks_exponentially_is_checked_in_linear_time() {
        // regress needs about 2^40 steps to say no: this test would not end.
        let p = Pattern::new("^(a+)+$").unwrap();
        assert!(p.linear.is_some());
        assert!(!p.matches(&format!("{}b", "a".repeat(40))));
        assert!(p.matches(&"a".repeat(40)));
        // With a lookaround or a backreference, regress decides.
        assert!(Pattern::new(r"^(?=a)a+$").unwrap().linear.is_none());
        assert!(Pattern::new(r"^(a)\1$").unwrap().linear.is_none());
    }
}
