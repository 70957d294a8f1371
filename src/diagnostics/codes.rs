//! The registry of diagnostic codes. A code never changes meaning once released; retired codes
//! stay listed here as retired instead of being reused. The language reference
//! (`docs/language.md`, "Diagnostics") lists every code, and a test keeps it complete.

use super::Severity;

macro_rules! codes {
    ($( $variant:ident = $name:literal, $severity:ident, $summary:literal; )*) => {
        /// A stable diagnostic code, rendered as `rampart::<area>::<name>`.
        #[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
        pub enum Code { $( #[doc = $summary] $variant, )* }

        impl Code {
            /// Every code, in registry order.
            pub const ALL: &'static [Code] = &[$(Code::$variant,)*];

            /// The stable name, e.g. `rampart::check::unknown-field`.
            pub fn as_str(self) -> &'static str {
                match self { $( Code::$variant => $name, )* }
            }

            /// The severity a diagnostic of this code has unless configured otherwise.
            pub fn default_severity(self) -> Severity {
                match self { $( Code::$variant => Severity::$severity, )* }
            }

            /// One sentence describing the kind of problem.
            pub fn summary(self) -> &'static str {
                match self { $( Code::$variant => $summary, )* }
            }
        }
    };
}

codes! {
    // Lexical structure.
    UnterminatedString = "rampart::syntax::unterminated-string", Error, "A string is not closed on the line where it starts.";
    InvalidEscape = "rampart::syntax::invalid-escape", Error, "A backslash escape in a string is not one the language knows.";
    InvalidDate = "rampart::syntax::invalid-date", Error, "A date literal is not a real calendar date.";
    InvalidNumber = "rampart::syntax::invalid-number", Error, "A number literal is malformed or out of range.";
    UnexpectedCharacter = "rampart::syntax::unexpected-character", Error, "A character that cannot start any token.";
    InvalidUtf8 = "rampart::syntax::invalid-utf8", Error, "The file is not valid UTF-8 text.";
    // Grammar.
    Expected = "rampart::syntax::expected", Error, "The parser expected a different token here.";
    UnknownItem = "rampart::syntax::unknown-item", Error, "A top-level word that does not start any item.";
    UnknownClause = "rampart::syntax::unknown-clause", Error, "A word inside a block that is not one of the block's clauses.";
    UnclosedDelimiter = "rampart::syntax::unclosed-delimiter", Error, "A bracket, brace or parenthesis is never closed.";
    ChainedComparison = "rampart::syntax::chained-comparison", Error, "Comparisons cannot be chained like `a < b < c`.";
    TooDeep = "rampart::syntax::too-deep", Error, "Expressions or blocks are nested deeper than the parser allows.";
    TooLarge = "rampart::syntax::too-large", Error, "A policy file is larger than the parser accepts.";
    BadInterpolation = "rampart::syntax::bad-interpolation", Error, "A `{…}` in a message is not a well-formed expression.";
    InvalidJson = "rampart::syntax::invalid-json", Error, "Inline JSON in a test is malformed.";
    // Imports and the policy root.
    ImportOutsideRoot = "rampart::workspace::import-outside-root", Error, "A `use` or fixture path leaves the policy root.";
    ImportNotFound = "rampart::workspace::import-not-found", Error, "A `use` names a file that does not exist or cannot be read.";
    ImportCycle = "rampart::workspace::import-cycle", Error, "Files import each other in a cycle.";
    NotImported = "rampart::workspace::not-imported", Warning, "A policy file of the directory that the entry file does not reach through its imports.";
    // Jurisdiction documents.
    ConfigUnreadable = "rampart::config::unreadable", Error, "A jurisdiction file cannot be read.";
    ConfigSyntax = "rampart::config::syntax", Error, "A jurisdiction file is not well-formed JSON or YAML (including duplicate keys).";
    ConfigWrongType = "rampart::config::wrong-type", Error, "A document value has a type the schema does not allow.";
    ConfigMissingField = "rampart::config::missing-field", Error, "A document lacks a field the schema requires.";
    ConfigUnknownField = "rampart::config::unknown-field", Warning, "A document has a field the schema does not declare.";
    ConfigInvalidDate = "rampart::config::invalid-date", Error, "A document date is not a real YYYY-MM-DD calendar date.";
    ConfigUnknownEnumMember = "rampart::config::unknown-enum-member", Error, "A document value is not a member of its enum.";
    ConfigUnknownWaivedNorm = "rampart::config::unknown-waived-norm", Warning, "A waiver names a norm the policy set does not have.";
    ConfigDuplicateId = "rampart::config::duplicate-id", Warning, "Two items of a list that references point into have the same id; references find the first.";
    ConfigDanglingReference = "rampart::config::dangling-reference", Warning, "A reference names no item of the list it points into (a norm that reads it fails).";
    // Names.
    UnknownName = "rampart::check::unknown-name", Error, "A name that no definition, parameter or variable declares.";
    UnknownField = "rampart::check::unknown-field", Error, "A path names a field the schema does not have.";
    UnknownType = "rampart::check::unknown-type", Error, "A type name that no `type` or `enum` declares.";
    UnknownEnumMember = "rampart::check::unknown-enum-member", Error, "A string compared with an enum is not one of its members.";
    UnknownPillar = "rampart::check::unknown-pillar", Error, "A pillar id that no `pillar` declares.";
    UnknownStage = "rampart::check::unknown-stage", Error, "A stage id that no `stage` declares.";
    UnknownSource = "rampart::check::unknown-source", Error, "A `cites` names a source that no `source` declares.";
    UnknownNorm = "rampart::check::unknown-norm", Error, "A norm id that no `norm` declares.";
    UnknownProfile = "rampart::check::unknown-profile", Error, "A profile id that no `profile` declares.";
    UnknownParam = "rampart::check::unknown-param", Error, "A `set` names a parameter that no `param` declares.";
    UnknownFunction = "rampart::check::unknown-function", Error, "A call to a function that is neither built in nor defined.";
    UnknownStatus = "rampart::check::unknown-status", Error, "An `expect` names a status that does not exist.";
    HyphenInName = "rampart::check::hyphen-in-name", Error, "A hyphenated word used as a variable; `a-b` is one name, `a - b` a subtraction.";
    Duplicate = "rampart::check::duplicate", Error, "Two declarations share one name.";
    MissingSchema = "rampart::check::missing-schema", Error, "The policy set declares no `schema` block.";
    // Types.
    TypeMismatch = "rampart::check::type-mismatch", Error, "An expression has a type its context cannot use.";
    NotBoolean = "rampart::check::not-boolean", Error, "A condition is not a yes/no expression.";
    NotAList = "rampart::check::not-a-list", Error, "A quantifier or collection function is applied to something that is not a list.";
    WrongArity = "rampart::check::wrong-arity", Error, "A function is called with the wrong number of arguments.";
    BadRef = "rampart::check::bad-ref", Error, "A `ref` type does not name a root-level list of objects with an `id`.";
    RecursiveDefinition = "rampart::check::recursive-definition", Error, "A definition uses itself, directly or through others.";
    NormCycle = "rampart::check::norm-cycle", Error, "Norms refer to each other's results in a cycle.";
    ProfileCycle = "rampart::check::profile-cycle", Error, "Profiles extend each other in a cycle.";
    Shadowing = "rampart::check::shadowing", Error, "A parameter or definition has the name of a root field, another parameter or definition, or a keyword.";
    MissingClause = "rampart::check::missing-clause", Error, "A norm lacks a clause it must have (title, pillar, severity, require).";
    RepeatedClause = "rampart::check::repeated-clause", Error, "A clause that may appear once appears twice.";
    NotConstant = "rampart::check::not-constant", Error, "A parameter value must be a constant.";
    FixturePath = "rampart::check::fixture-path", Error, "A test fixture cannot be read or is not a JSON object.";
    ConflictingExpectations = "rampart::check::conflicting-expectations", Error, "A test expects two statuses of one norm.";
    // Lints.
    UnusedDefinition = "rampart::lint::unused-definition", Warning, "A definition that nothing uses.";
    UnusedParam = "rampart::lint::unused-param", Warning, "A parameter that no norm or definition uses.";
    UnusedArgument = "rampart::lint::unused-argument", Warning, "A parameter of a definition that its body never reads.";
    MissingCitation = "rampart::lint::missing-citation", Warning, "A norm that cites no source.";
    NeverHolds = "rampart::lint::never-holds", Warning, "A condition that can never be true.";
    TestWithoutExpectation = "rampart::lint::test-without-expectation", Warning, "A test that expects nothing, so it passes whatever the norms do.";
}

impl std::fmt::Display for Code {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.as_str())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn code_names_are_unique_and_well_formed() {
        let mut seen = std::collections::HashSet::new();
        for code in Code::ALL {
            assert!(seen.insert(code.as_str()), "duplicate {}", code.as_str());
            assert!(code.as_str().starts_with("rampart::"));
            assert!(
                code.as_str().bytes().all(|b| b.is_ascii_lowercase()
                    || b.is_ascii_digit()
                    || b == b':'
                    || b == b'-')
            );
        }
    }
}
