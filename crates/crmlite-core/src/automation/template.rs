//! Message and document templates, rendered with minijinja in a sandbox: no loader or
//! filesystem, strict undefined variables, a fuel limit, an output cap, and HTML
//! auto-escaping for HTML templates only.

use super::format::{Locale, format_date, format_money, format_number};
use crate::customer::clean_text;
use crate::money::Money;
use crate::{Currency, Error, Result, TemplateId, Timestamp};
use minijinja::{AutoEscape, Environment, UndefinedBehavior};

/// Instructions a single render may execute before it is stopped.
pub const FUEL: u64 = 50_000;
/// The largest rendered output, in bytes.
pub const MAX_OUTPUT: usize = 200_000;
/// The largest template source, in characters.
pub const MAX_SOURCE: usize = 100_000;

/// What a template is for.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, serde::Serialize, serde::Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum TemplateKind {
    /// An invoice document.
    Invoice,
    /// A letter.
    Letter,
    /// A contract.
    Contract,
    /// A text message.
    Sms,
    /// The subject line of an e-mail.
    EmailSubject,
    /// The body of an e-mail.
    EmailBody,
}

impl TemplateKind {
    /// Every kind, in a stable order.
    pub const ALL: &'static [TemplateKind] = &[
        Self::Invoice,
        Self::Letter,
        Self::Contract,
        Self::Sms,
        Self::EmailSubject,
        Self::EmailBody,
    ];

    /// The stable lower-case name.
    #[must_use]
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Invoice => "invoice",
            Self::Letter => "letter",
            Self::Contract => "contract",
            Self::Sms => "sms",
            Self::EmailSubject => "email_subject",
            Self::EmailBody => "email_body",
        }
    }

    /// Parses a name returned by [`TemplateKind::as_str`].
    pub fn parse(s: &str) -> Result<Self> {
        let s = s.trim().to_ascii_lowercase();
        Self::ALL
            .iter()
            .copied()
            .find(|k| k.as_str() == s)
            .ok_or_else(|| {
                let names: Vec<&str> = Self::ALL.iter().map(|k| k.as_str()).collect();
                Error::validation("kind", format!("must be one of {}", names.join(", ")))
            })
    }
}

/// Whether a template produces plain text or HTML.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, serde::Serialize, serde::Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum TemplateFormat {
    /// Plain text: nothing is escaped.
    Text,
    /// HTML: every inserted value is escaped.
    Html,
}

impl TemplateFormat {
    /// The stable lower-case name.
    #[must_use]
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Text => "text",
            Self::Html => "html",
        }
    }

    /// Parses `text` or `html`.
    pub fn parse(s: &str) -> Result<Self> {
        match s.trim().to_ascii_lowercase().as_str() {
            "text" => Ok(Self::Text),
            "html" => Ok(Self::Html),
            _ => Err(Error::validation("format", "must be text or html")),
        }
    }
}

/// A stored template.
#[derive(Clone, Debug, PartialEq, Eq, serde::Serialize)]
pub struct Template {
    /// Store-assigned id.
    pub id: TemplateId,
    /// Unique code the host and triggers refer to, e.g. `birthday_sms`.
    pub code: String,
    /// What it is for.
    pub kind: TemplateKind,
    /// Text or HTML.
    pub format: TemplateFormat,
    /// The minijinja source.
    pub body: String,
    /// Bumped by every update.
    pub version: i64,
    /// When it was created.
    pub created_at: Timestamp,
    /// When it was last changed.
    pub updated_at: Timestamp,
}

/// Input for a new template, or the new content of an existing one.
#[derive(Clone, Debug, PartialEq, Eq, serde::Deserialize)]
#[non_exhaustive]
pub struct NewTemplate {
    /// Unique code: 1-64 characters of a-z, 0-9, `_`, `-` and `.`.
    pub code: String,
    /// What it is for.
    pub kind: TemplateKind,
    /// Text or HTML.
    pub format: TemplateFormat,
    /// The minijinja source; it must compile.
    pub body: String,
}

impl NewTemplate {
    /// A template with a code, kind, format and source.
    #[must_use]
    pub fn new(
        code: impl Into<String>,
        kind: TemplateKind,
        format: TemplateFormat,
        body: impl Into<String>,
    ) -> Self {
        Self {
            code: code.into(),
            kind,
            format,
            body: body.into(),
        }
    }

    /// Checks the code and that the source compiles; `now` stamps the result.
    pub fn validate(&self, now: Timestamp) -> Result<Template> {
        let code = check_code("code", &self.code)?;
        if self.body.chars().count() > MAX_SOURCE {
            return Err(Error::validation(
                "body",
                format!("must be at most {MAX_SOURCE} characters"),
            ));
        }
        compile_check(&self.body, self.format)?;
        Ok(Template {
            id: TemplateId(0),
            code,
            kind: self.kind,
            format: self.format,
            body: self.body.clone(),
            version: 1,
            created_at: now,
            updated_at: now,
        })
    }
}

/// Checks a template or trigger code: 1-64 characters of a-z, 0-9, `_`, `-` and `.`.
pub(crate) fn check_code(field: &str, code: &str) -> Result<String> {
    let code = clean_text(field, code, 64, true)?;
    if code
        .bytes()
        .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || matches!(b, b'_' | b'-' | b'.'))
    {
        Ok(code)
    } else {
        Err(Error::validation(
            field,
            "must be 1-64 characters of a-z, 0-9, _, - and .",
        ))
    }
}

/// Turns a minijinja error into a validation error on `field` that names the line and the cause.
fn template_error(field: &str, source: &str, e: &minijinja::Error) -> Error {
    let line = e.line().map_or_else(String::new, |l| format!("line {l}: "));
    let cause = match e.kind() {
        minijinja::ErrorKind::OutOfFuel => {
            "out of fuel: the template does too much work (an endless loop?)".to_owned()
        }
        minijinja::ErrorKind::UndefinedError => {
            let near = e
                .range()
                .and_then(|r| source.get(r))
                .map_or_else(String::new, |s| format!(" `{}`", s.trim()));
            format!("undefined variable{near}")
        }
        kind => match e.detail() {
            Some(detail) => format!("{kind}: {detail}"),
            None => kind.to_string(),
        },
    };
    Error::validation(field, format!("{line}{cause}"))
}

/// The sandboxed environment for one format and locale.
fn environment(format: TemplateFormat, locale: Locale) -> Environment<'static> {
    let mut env = Environment::new();
    env.set_undefined_behavior(UndefinedBehavior::Strict);
    env.set_fuel(Some(FUEL));
    env.set_recursion_limit(64);
    let escape = match format {
        TemplateFormat::Html => AutoEscape::Html,
        TemplateFormat::Text => AutoEscape::None,
    };
    env.set_auto_escape_callback(move |_| escape.clone());
    env.add_filter("number", move |v: i64| format_number(v, locale));
    env.add_filter(
        "date",
        move |v: String| -> std::result::Result<String, minijinja::Error> {
            let d = chrono::NaiveDate::parse_from_str(v.get(..10).unwrap_or(&v), "%Y-%m-%d")
                .map_err(|_| {
                    minijinja::Error::new(
                        minijinja::ErrorKind::InvalidOperation,
                        format!("{v:?} is not a date (YYYY-MM-DD)"),
                    )
                })?;
            Ok(format_date(d, locale))
        },
    );
    env.add_function(
        "money",
        move |minor: i64, currency: String| -> std::result::Result<String, minijinja::Error> {
            let c = Currency::parse(&currency, "currency").map_err(|e| {
                minijinja::Error::new(minijinja::ErrorKind::InvalidOperation, e.to_string())
            })?;
            Ok(format_money(&Money::new(minor, c), locale))
        },
    );
    env
}

/// Fails with a validation error on `body` if the source does not compile.
pub fn compile_check(source: &str, format: TemplateFormat) -> Result<()> {
    let env = environment(format, Locale::En);
    env.template_from_str(source)
        .map(|_| ())
        .map_err(|e| template_error("body", source, &e))
}

/// Renders `source` with `context` (a JSON object) for `locale`. Values are inserted as data,
/// never evaluated as template source; HTML templates escape them.
pub fn render(
    source: &str,
    format: TemplateFormat,
    locale: Locale,
    context: &serde_json::Value,
) -> Result<String> {
    let env = environment(format, locale);
    let template = env
        .template_from_str(source)
        .map_err(|e| template_error("template", source, &e))?;
    let out = template
        .render(minijinja::Value::from(minijinja::value::Serde(context)))
        .map_err(|e| template_error("template", source, &e))?;
    if out.len() > MAX_OUTPUT {
        return Err(Error::validation(
            "template",
            format!("output is larger than {MAX_OUTPUT} bytes"),
        ));
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn text(source: &str, ctx: &serde_json::Value) -> Result<String> {
        render(source, TemplateFormat::Text, Locale::En, ctx)
    }

    #[test]
    fn renders_variables_and_helpers() {
        let ctx = json!({"customer": {"name": "Արամ"}, "total": 123_450, "day": "2026-12-07"});
        let out = render(
            "{{ customer.name }}: {{ money(total, 'AMD') }}, {{ day|date }}, {{ 1234567|number }}",
            TemplateFormat::Text,
            Locale::Hy,
            &ctx,
        )
        .unwrap();
        assert_eq!(
            out,
            "Արամ: 1\u{a0}234,50\u{a0}֏, 7 դեկտեմբերի 2026 թ., 1\u{a0}234\u{a0}567"
        );
    }

    #[test]
    fn unknown_variable_names_line_and_variable() {
        let err = text(
            "Hello\n{{ customer.name }}\n{{ customer.nickname }}",
            &json!({"customer": {"name": "Ნინო"}}),
        )
        .unwrap_err();
        let msg = err.to_string();
        assert_eq!(err.field(), Some("template"));
        assert!(msg.contains("line 3"), "{msg}");
        assert!(msg.contains("customer.nickname"), "{msg}");
    }

    #[test]
    fn syntax_error_names_the_line() {
        let err = NewTemplate::new(
            "x",
            TemplateKind::Sms,
            TemplateFormat::Text,
            "a\nb\n{% if %}",
        )
        .validate(Timestamp(0));
        let msg = err.unwrap_err().to_string();
        assert!(
            msg.contains("body") && msg.contains("line 3") && msg.contains("syntax error"),
            "{msg}"
        );
    }

    #[test]
    fn endless_loop_runs_out_of_fuel() {
        let src =
            "{% for a in range(100000) %}{% for b in range(100000) %}x{% endfor %}{% endfor %}";
        let msg = text(src, &json!({})).unwrap_err().to_string();
        assert!(msg.contains("out of fuel"), "{msg}");
    }

    #[test]
    fn output_over_the_cap_is_an_error() {
        let ctx = json!({"big": "ა".repeat(MAX_OUTPUT / 3 - 1)});
        assert_eq!(text("{{ big }}", &ctx).unwrap().len(), MAX_OUTPUT - 5);
        let msg = text("{{ big }}{{ big }}", &ctx).unwrap_err().to_string();
        assert!(msg.contains("output is larger than"), "{msg}");
    }

    #[test]
    fn html_is_escaped_only_in_html_templates() {
        let ctx = json!({"name": "<b>Γιώργος & Co</b>"});
        assert_eq!(
            render("<p>{{ name }}</p>", TemplateFormat::Html, Locale::El, &ctx).unwrap(),
            "<p>&lt;b&gt;Γιώργος &amp; Co&lt;&#x2f;b&gt;</p>"
        );
        assert_eq!(text("{{ name }}", &ctx).unwrap(), "<b>Γιώργος & Co</b>");
    }

    #[test]
    fn data_is_never_evaluated() {
        let ctx = json!({"name": "{{ 7*7 }}{% for x in y %}{{ self }}"});
        assert_eq!(
            text("{{ name }}", &ctx).unwrap(),
            "{{ 7*7 }}{% for x in y %}{{ self }}"
        );
    }

    #[test]
    fn no_loader_means_no_include() {
        let err = text("{% include '/etc/passwd' %}", &json!({})).unwrap_err();
        assert_eq!(err.field(), Some("template"));
    }

    #[test]
    fn codes_are_checked() {
        assert!(check_code("code", "birthday_sms.v2").is_ok());
        assert_eq!(
            check_code("code", "Birthday").unwrap_err().field(),
            Some("code")
        );
        assert!(check_code("code", "").is_err());
    }
}
