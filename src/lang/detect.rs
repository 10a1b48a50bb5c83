//! Which language a document is written in, from a vote of its function words: the commonest
//! words of a language ("the", "der", "les", "los", "che", "não", "het", "się") make up a third
//! of its prose, and few of them are common in another. A document is read word by word from
//! its start until one language leads clearly, or for at most [`DETECT_BYTES`]; one that never
//! gives clear evidence (a short line, a list of names, a mix) has no language, and every rule
//! applies to it, as before languages were known.

use std::collections::HashMap;
use std::sync::LazyLock;

use foldhash::fast::FixedState;

use super::Lang;

/// At most this many bytes from a document's start are read.
pub const DETECT_BYTES: usize = 4096;

/// A word found in the lists of k languages gives each of them `WHOLE / k` (a word of one
/// language gives it a whole vote): "de", common to Spanish, Portuguese, French and Dutch,
/// tells little, "het" or "los" a lot.
const WHOLE: u32 = 12;
/// A language needs this many (whole) votes to be named at all...
const MIN_VOTES: u32 = 4 * WHOLE;
/// ...and at least this many times the votes of the runner-up (times 2: 1.5×).
const LEAD_TIMES_2: u32 = 3;
/// Reading stops early once the leader has this many votes and [`SURE_TIMES`] the runner-up's.
const SURE_VOTES: u32 = 8 * WHOLE;
const SURE_TIMES: u32 = 3;

/// Function words by language: frequent in running text of that language, short, and as far
/// as possible rare in the others. Words shared by several languages split their vote. No
/// single letters: "o", "a", "i" or "e" are also the bullets and list markers of menus.
const WORDS: &[(&str, &[&str])] = &[
    (
        "en",
        &[
            "the", "of", "and", "to", "in", "is", "on", "at", "that", "for", "it", "was", "with", "as", "he",
            "she", "be", "at", "by", "this", "had", "not", "are", "but", "from", "or", "have", "an", "they",
            "which", "you", "were", "her", "their", "there", "been", "has", "would", "will", "its", "who",
            "we", "his", "when", "what", "about", "into", "than", "them", "can", "also", "after", "said",
            "could", "our",
        ],
    ),
    (
        "de",
        &[
            "der", "die", "und", "das", "ist", "nicht", "mit", "von", "zu", "den", "sich", "des", "auf",
            "für", "im", "dem", "ein", "eine", "auch", "als", "wie", "bei", "aus", "nach", "wird", "hat",
            "sind", "werden", "oder", "noch", "einer", "sie", "er", "war", "dass", "ich", "wir", "über",
            "nur", "zum", "zur", "vor", "kann", "durch", "einen", "wurde", "haben", "mehr", "aber", "schon",
        ],
    ),
    (
        "fr",
        &[
            "le", "la", "les", "et", "des", "est", "une", "du", "que", "qui", "dans", "pour", "pas", "sur",
            "au", "par", "avec", "ce", "il", "elle", "sont", "mais", "aux", "ont", "été", "nous", "vous",
            "cette", "leur", "plus", "ses", "sa", "son", "être", "fait", "comme", "ou", "où", "ils", "était",
            "de", "en",
        ],
    ),
    (
        "es",
        &[
            "el", "los", "las", "del", "por", "con", "para", "una", "es", "se", "su", "al", "lo", "como",
            "más", "pero", "sus", "fue", "este", "esta", "entre", "cuando", "muy", "sin", "sobre", "también",
            "hasta", "desde", "está", "han", "ya", "porque", "según", "ser", "tiene", "hay", "donde", "sido",
            "de", "la", "que", "en", "le", "no",
        ],
    ),
    (
        "it",
        &[
            "il", "di", "che", "non", "per", "sono", "della", "nel", "alla", "anche", "gli", "ma", "delle",
            "dei", "come", "più", "questo", "del", "si", "con", "nella", "degli", "dalla", "essere", "stato",
            "tra", "fra", "ha", "una", "un", "questa", "sua", "suo", "ed", "loro", "dopo", "alle", "la",
            "in", "le",
        ],
    ),
    (
        "pt",
        &[
            "os", "do", "da", "em", "não", "uma", "com", "mais", "dos", "das", "ao", "ele", "foi", "na",
            "no", "pelo", "pela", "são", "também", "mas", "seu", "sua", "ou", "quando", "muito", "nos", "já",
            "está", "tem", "isso", "pode", "para", "como", "ser", "às", "aos", "entre", "ela", "de", "que",
            "se",
        ],
    ),
    (
        "nl",
        &[
            "de", "het", "een", "van", "en", "is", "zijn", "op", "te", "dat", "niet", "met", "voor", "hij",
            "ook", "maar", "om", "aan", "er", "bij", "nog", "wordt", "worden", "naar", "die", "dit", "deze",
            "als", "door", "zich", "heeft", "werd", "uit", "kan", "wel", "dan", "over", "ze", "wat", "hun",
        ],
    ),
    (
        "pl",
        &[
            "się", "na", "nie", "do", "to", "że", "jest", "jak", "po", "co", "tak", "za", "od", "ale",
            "przez", "dla", "być", "już", "jego", "czy", "tym", "które", "jej", "oraz", "są", "został",
            "przy", "może", "tylko", "było", "jako", "ich", "też", "tego", "także",
        ],
    ),
];

/// The languages of [`WORDS`], by index.
static LANGS: LazyLock<Vec<Lang>> =
    LazyLock::new(|| WORDS.iter().map(|(code, _)| Lang::parse(code).expect("valid code")).collect());

/// Each function word (packed by [`word_key`]) and the languages it votes for, as a bit set.
static VOTES: LazyLock<HashMap<u64, u16, FixedState>> = LazyLock::new(|| {
    let mut out: HashMap<u64, u16, FixedState> = HashMap::default();
    for (i, (_, words)) in WORDS.iter().enumerate() {
        for w in *words {
            let key = word_key(w.as_bytes()).expect("function words are at most 8 bytes");
            *out.entry(key).or_default() |= 1 << i;
        }
    }
    out
});

/// Up to 8 bytes packed into a word, ASCII letters lowered; `None` for longer words.
fn word_key(word: &[u8]) -> Option<u64> {
    if word.is_empty() || word.len() > 8 {
        return None;
    }
    let key = word.iter().fold(0u64, |k, &b| (k << 8) | u64::from(b.to_ascii_lowercase()));
    Some(key | ((word.len() as u64) << 60))
}

/// The language of `text`, or `None` when its first [`DETECT_BYTES`] bytes do not tell.
pub fn detect(text: &str) -> Option<Lang> {
    let votes = &*VOTES;
    let bytes = &text.as_bytes()[..text.len().min(DETECT_BYTES)];
    let mut counts = [0u32; 16];
    for word in bytes.split(|b| matches!(b, b' ' | b'\n' | b'\t' | b'\r')) {
        // Punctuation glued to a word ("die,", "(the") is not part of it.
        let word = trim_punct(word);
        let Some(key) = word_key(word) else { continue };
        let Some(&langs) = votes.get(&key) else { continue };
        let share = WHOLE / langs.count_ones();
        let mut bits = langs;
        while bits != 0 {
            counts[bits.trailing_zeros() as usize] += share;
            bits &= bits - 1;
        }
        let (best, second) = top_two(&counts);
        if counts[best] >= SURE_VOTES && counts[best] >= SURE_TIMES * second {
            return Some(LANGS[best]);
        }
    }
    let (best, second) = top_two(&counts);
    (counts[best] >= MIN_VOTES && 2 * counts[best] >= LEAD_TIMES_2 * second).then(|| LANGS[best])
}

/// The index of the largest count and the runner-up's count.
fn top_two(counts: &[u32; 16]) -> (usize, u32) {
    let mut best = 0;
    for (i, &c) in counts.iter().enumerate() {
        if c > counts[best] {
            best = i;
        }
    }
    let second = counts.iter().enumerate().filter(|&(i, _)| i != best).map(|(_, &c)| c).max().unwrap_or(0);
    (best, second)
}

fn trim_punct(word: &[u8]) -> &[u8] {
    let is_punct = |b: &u8| b.is_ascii_punctuation();
    let start = word.iter().position(|b| !is_punct(b)).unwrap_or(word.len());
    let end = word.iter().rposition(|b| !is_punct(b)).map_or(start, |e| e + 1);
    &word[start..end]
}

#[cfg(test)]
mod tests {
    use super::*;

    fn lang(text: &str) -> Option<String> {
        detect(text).map(|l| l.to_string())
    }

    #[test]
    fn prose_is_told_apart() {
        let cases = [
            (
                "en",
                "The council said on Tuesday that the bridge would be closed for repairs, and that the work was expected to last until the end of the year.",
            ),
            (
                "de",
                "Der Stadtrat hat am Dienstag beschlossen, dass die Brücke für die Reparatur gesperrt wird, und die Arbeiten sollen bis zum Ende des Jahres dauern.",
            ),
            (
                "fr",
                "Le conseil municipal a annoncé mardi que le pont sera fermé pour des travaux, qui doivent durer jusqu'à la fin de l'année dans le quartier.",
            ),
            (
                "es",
                "El ayuntamiento anunció el martes que el puente estará cerrado por obras, que se prolongarán hasta el final del año según los técnicos.",
            ),
            (
                "it",
                "Il consiglio comunale ha annunciato martedì che il ponte sarà chiuso per lavori, che dureranno fino alla fine dell'anno secondo gli uffici.",
            ),
            (
                "pt",
                "A câmara municipal anunciou na terça-feira que a ponte ficará fechada para obras, que devem durar até ao fim do ano, segundo os técnicos.",
            ),
            (
                "nl",
                "De gemeenteraad heeft dinsdag besloten dat de brug wordt afgesloten voor herstel, en de werkzaamheden duren naar verwachting tot het einde van het jaar.",
            ),
            (
                "pl",
                "Rada miasta poinformowała we wtorek, że most zostanie zamknięty na czas remontu i że prace potrwają do końca roku, jak podał urząd w komunikacie.",
            ),
        ];
        for (want, text) in cases {
            assert_eq!(lang(text).as_deref(), Some(want), "{text}");
        }
    }

    #[test]
    fn short_or_wordless_text_has_no_language() {
        assert_eq!(lang("Foto: dpa"), None);
        assert_eq!(lang("Home\nNews\nSport\nWeather"), None);
        assert_eq!(lang(""), None);
    }

    #[test]
    fn menu_bullets_are_not_words() {
        // Text browsers write submenu items as "o Item", lists as "a) ...": none of it votes.
        let menu = "Skip to content\n* Shop\n+ Flours\no Bread Flour\no Rye Flour\no Spelt Flour\no Oat Flour\na) Pick up\nb) Delivery\n";
        let text = format!(
            "{menu}{}",
            "The bakery said on Monday that it would open a second shop in the old mill, and that the work was expected to take a year."
        );
        assert_eq!(lang(&text).as_deref(), Some("en"));
        assert_eq!(lang(menu), None);
    }

    #[test]
    fn reading_is_bounded() {
        let text = format!("{}{}", "xyz ".repeat(DETECT_BYTES), "the of and to is that for it was with");
        assert_eq!(lang(&text), None, "words beyond the first DETECT_BYTES are not read");
    }

    #[test]
    fn a_mixed_document_goes_to_the_language_of_most_of_it() {
        let text = "Home | News | Contact\nDer Stadtrat hat am Dienstag beschlossen, dass die Brücke für die Reparatur gesperrt wird. Die Arbeiten sollen bis zum Ende des Jahres dauern, sagte der Sprecher der Stadt.\nRead more";
        assert_eq!(lang(text).as_deref(), Some("de"));
    }
}
