use std::fmt;

/// A value that must not be printed or serialized by accident.
///
/// Deserializing is allowed (a secret may come from a request body or a prompt), serializing is not:
/// `serde_json::to_string(&Sensitive::new(..))` fails instead of writing the secret.
#[derive(Clone, PartialEq, Eq, Default)]
pub struct Sensitive<T>(T);

impl<T> Sensitive<T> {
    pub fn new(value: T) -> Self {
        Self(value)
    }

    /// The secret itself. Call this only where the value has to leave the process (an HTTP header,
    /// the keychain).
    pub fn expose(&self) -> &T {
        &self.0
    }

    pub fn into_inner(self) -> T {
        self.0
    }
}

impl<T> From<T> for Sensitive<T> {
    fn from(value: T) -> Self {
        Self(value)
    }
}

impl<T> fmt::Debug for Sensitive<T> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("<redacted>")
    }
}

impl<T> fmt::Display for Sensitive<T> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("<redacted>")
    }
}

impl<T> serde::Serialize for Sensitive<T> {
    fn serialize<S: serde::Serializer>(&self, _serializer: S) -> Result<S::Ok, S::Error> {
        Err(serde::ser::Error::custom(
            "refusing to serialize a sensitive value",
        ))
    }
}

impl<'de, T: serde::Deserialize<'de>> serde::Deserialize<'de> for Sensitive<T> {
    fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        T::deserialize(deserializer).map(Self)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const SECRET: &str = "s3cr3t-value-that-must-not-leak";

    #[test]
    fn debug_and_display_hide_the_value() {
        let secret = Sensitive::new(SECRET.to_string());
        assert_eq!(format!("{secret:?}"), "<redacted>");
        assert_eq!(format!("{secret}"), "<redacted>");
        assert!(!format!("{:?}", Some(&secret)).contains(SECRET));
    }

    #[test]
    fn serializing_fails_instead_of_leaking() {
        let secret = Sensitive::new(SECRET.to_string());
        let err = serde_json::to_string(&secret).expect_err("must refuse");
        assert!(!err.to_string().contains(SECRET));
    }

    #[test]
    fn deserializes_and_exposes_on_request() {
        let secret: Sensitive<String> = serde_json::from_str(&format!("\"{SECRET}\"")).unwrap();
        assert_eq!(secret.expose(), SECRET);
        assert_eq!(secret.into_inner(), SECRET);
    }
}
