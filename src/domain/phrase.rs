//! A sentence for a person, named by its key in the language catalogue (`locales/`) and not
//! yet put into a language. The core says *what* to tell someone; `crate::i18n` says it in
//! Dutch or English once the reader is known.

/// A value put into a phrase's `{ $name }` placeholder.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
#[serde(untagged)]
pub enum Arg {
    Text(String),
    Number(i64),
}

impl From<&str> for Arg {
    fn from(s: &str) -> Arg {
        Arg::Text(s.to_owned())
    }
}

impl From<String> for Arg {
    fn from(s: String) -> Arg {
        Arg::Text(s)
    }
}

macro_rules! number_arg {
    ($($t:ty),*) => {$(
        impl From<$t> for Arg {
            fn from(n: $t) -> Arg {
                Arg::Number(i64::try_from(n).unwrap_or(i64::MAX))
            }
        }
    )*};
}
number_arg!(i32, i64, u32, u64, usize);

/// A catalogue key and the values for its placeholders.
/// Stored (an allocation's reason) as `{"id": key, "args": [[name, value], …]}`, to be said
/// in the reader's language when read back (`crate::i18n::say_stored`).
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct Phrase {
    pub id: &'static str,
    pub args: Vec<(&'static str, Arg)>,
}

impl Phrase {
    pub fn new(id: &'static str) -> Phrase {
        Phrase { id, args: Vec::new() }
    }

    pub fn with(mut self, name: &'static str, value: impl Into<Arg>) -> Phrase {
        self.args.push((name, value.into()));
        self
    }
}

/// `phrase!("field-required")` or `phrase!("field-at-most-chars", max = 200)`. Keys are
/// literals so that a test can check every one of them is in both catalogues.
#[macro_export]
macro_rules! phrase {
    ($id:literal $(, $name:ident = $value:expr)* $(,)?) => {
        $crate::domain::phrase::Phrase::new($id)$(.with(stringify!($name), $value))*
    };
}
