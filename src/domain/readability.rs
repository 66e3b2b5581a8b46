//! How easy a text is to read: sentence length and the Flesch reading ease, in its English
//! form and in Douma's adaptation for Dutch. Used to keep every message template plain.

use crate::domain::student::Language;

/// Figures for one text.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Readability {
    pub sentences: usize,
    pub words: usize,
    pub syllables: usize,
    pub longest_sentence: usize,
    /// Flesch (English) or Flesch-Douma (Dutch); 60 and above is plain language.
    pub reading_ease: f64,
}

impl Readability {
    pub fn average_sentence(&self) -> f64 {
        self.words as f64 / self.sentences.max(1) as f64
    }
}

/// Words of a text: letters only, so that links, dates and numbers do not count as words.
fn words(sentence: &str) -> Vec<String> {
    sentence
        .split_whitespace()
        .filter(|w| !w.contains("://") && !w.contains('@'))
        .map(|w| w.chars().filter(|c| c.is_alphabetic()).collect::<String>().to_lowercase())
        .filter(|w| !w.is_empty())
        .collect()
}

/// Sentences end at `.`, `!`, `?` or `:` before a space, or at a line break (a list item).
fn sentences(text: &str) -> Vec<String> {
    let mut out = Vec::new();
    for line in text.lines() {
        let mut current = String::new();
        let chars: Vec<char> = line.chars().collect();
        for (i, c) in chars.iter().enumerate() {
            current.push(*c);
            let at_end = chars.get(i + 1).is_none_or(|n| n.is_whitespace());
            if matches!(c, '.' | '!' | '?' | ':') && at_end {
                out.push(std::mem::take(&mut current));
            }
        }
        out.push(current);
    }
    out.into_iter().filter(|s| !words(s).is_empty()).collect()
}

/// Syllables estimated from groups of vowels; Dutch "ij" is one vowel, an English final
/// silent "e" is none.
pub fn syllables(word: &str, lang: Language) -> usize {
    let w = match lang {
        Language::Nl => word.replace("ij", "y"),
        Language::En => word.to_owned(),
    };
    let vowel = |c: char| "aeiouyàáâäèéêëìíîïòóôöùúûü".contains(c);
    let mut count = 0;
    let mut previous = false;
    for c in w.chars() {
        let v = vowel(c);
        if v && !previous {
            count += 1;
        }
        previous = v;
    }
    if lang == Language::En && w.len() > 2 && w.ends_with('e') && !w.ends_with("le") && count > 1 {
        count -= 1;
    }
    count.max(1)
}

pub fn measure(text: &str, lang: Language) -> Readability {
    let sentences = sentences(text);
    let per_sentence: Vec<Vec<String>> = sentences.iter().map(|s| words(s)).collect();
    let words: usize = per_sentence.iter().map(Vec::len).sum();
    let syllables: usize = per_sentence.iter().flatten().map(|w| syllables(w, lang)).sum();
    let longest_sentence = per_sentence.iter().map(Vec::len).max().unwrap_or(0);
    let (s, w) = (sentences.len().max(1) as f64, words.max(1) as f64);
    let reading_ease = match lang {
        Language::En => 206.835 - 1.015 * (w / s) - 84.6 * (syllables as f64 / w),
        Language::Nl => 206.835 - 0.93 * (w / s) - 77.0 * (syllables as f64 / w),
    };
    Readability { sentences: sentences.len(), words, syllables, longest_sentence, reading_ease }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn syllables_follow_vowel_groups() {
        for (word, n) in
            [("laptop", 2), ("bring", 1), ("agreement", 3), ("make", 1), ("table", 2), ("the", 1)]
        {
            assert_eq!(syllables(word, Language::En), n, "{word}");
        }
        for (word, n) in
            [("laptop", 2), ("terugbrengen", 4), ("overeenkomst", 4), ("tijd", 1), ("uiterlijk", 3)]
        {
            assert_eq!(syllables(word, Language::Nl), n, "{word}");
        }
    }

    #[test]
    fn sentences_end_at_stops_and_line_breaks_and_links_are_not_words() {
        let r = measure("Hello Ayla.\nHere is your link:\nhttps://example.org/sign-in?token=abc\nBring it back by 01-02-2027!", Language::En);
        assert_eq!(r.sentences, 3);
        assert_eq!(r.words, 2 + 4 + 4);
        assert_eq!(r.longest_sentence, 4);
    }

    #[test]
    fn plain_text_scores_high_and_dense_text_low() {
        let plain =
            measure("You have a laptop. Bring it back by Friday. Ask us if you need help.", Language::En);
        assert!(plain.reading_ease > 80.0, "{plain:?}");
        let dense = measure(
            "Notwithstanding contractual obligations, beneficiaries' institutional responsibilities necessitate immediate reconsideration.",
            Language::En,
        );
        assert!(dense.reading_ease < 0.0, "{dense:?}");
        let nl = measure(
            "Je hebt een laptop. Breng hem vrijdag terug. Vraag ons om hulp als dat nodig is.",
            Language::Nl,
        );
        assert!(nl.reading_ease > 80.0, "{nl:?}");
    }
}
