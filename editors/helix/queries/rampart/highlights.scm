; Highlights for Rampart (.rampart files), for Helix.
;
; The same patterns as grammar/tree-sitter-rampart/queries/highlights.scm (keep them in step),
; with Helix's scope names (`@variable.other.member`, `@constant.numeric`, `@namespace`, ...).
; The last pattern that captures a node wins (Helix 25.07 and later), so the general patterns
; come first.

; General -----------------------------------------------------------------------------------

(identifier) @variable

(field_identifier) @variable.other.member

(type_identifier) @type

(primitive_type) @type.builtin

; `duration` is used as a type in the examples (`param lead: duration = 90d`) though the EBNF
; does not list it among the primitive types; it parses as a type name.
((type_identifier) @type.builtin
  (#eq? @type.builtin "duration"))

[
  "("
  ")"
  "["
  "]"
  "{"
  "}"
] @punctuation.bracket

; Declarations ------------------------------------------------------------------------------

(param_declaration
  name: (identifier) @constant)

(def_declaration
  name: (identifier) @function)

(parameter
  name: (identifier) @variable.parameter)

(ref_type
  target: (identifier) @variable.other.member)

; Ids of metadata: sources, pillars, stages and tags.
(source_declaration
  name: (identifier) @constant)

(pillar_declaration
  name: (identifier) @constant)

(stage_declaration
  name: (identifier) @constant)

(pillar_clause
  pillar: (identifier) @constant)

(stages_clause
  stage: (identifier) @constant)

(tags_clause
  tag: (identifier) @constant)

(cites_clause
  source: (identifier) @constant)

(selector
  kind: [
    "pillar"
    "stage"
    "tag"
  ]
  name: (identifier) @constant)

; Ids of norms.
(norm_declaration
  name: (identifier) @label)

(selector
  kind: "norm"
  name: (identifier) @label)

(override_clause
  norm: (identifier) @label)

(expect_clause
  norm: (identifier) @label)

; Ids of profiles.
(profile_declaration
  name: (identifier) @namespace)

(extends_clause
  profile: (identifier) @namespace)

(profile_clause
  profile: (identifier) @namespace)

; Parameters overridden by `set`.
(set_clause
  name: (identifier) @constant)

; Calls -------------------------------------------------------------------------------------

(call_expression
  function: (identifier) @function.builtin
  (#any-of? @function.builtin
    "count" "filter" "latest" "exists" "resolves" "is_empty" "days" "days_between" "min" "max"
    "lower" "upper" "trim" "len" "starts_with" "ends_with" "contains" "union" "intersection"
    "difference" "subset" "passes" "fails"))

(call_expression
  function: (identifier) @function
  (#not-any-of? @function
    "count" "filter" "latest" "exists" "resolves" "is_empty" "days" "days_between" "min" "max"
    "lower" "upper" "trim" "len" "starts_with" "ends_with" "contains" "union" "intersection"
    "difference" "subset" "passes" "fails"))

; `passes(norm-id)` and `fails(norm-id)` name a norm. (The function is captured here too: a
; highlighter that lets a later pattern win drops the earlier match with all its captures.)
(call_expression
  function: (identifier) @function.builtin
  arguments: (argument_list
    argument: (identifier) @label)
  (#any-of? @function.builtin "passes" "fails"))

; Keywords ----------------------------------------------------------------------------------

"use" @keyword.control.import

"def" @keyword.function

[
  "schema"
  "type"
  "enum"
  "ref"
] @keyword.storage.type

[
  "source"
  "pillar"
  "stage"
  "param"
  "norm"
  "profile"
  "test"
  "title"
  "publisher"
  "url"
  "note"
  "year"
  "stages"
  "severity"
  "tags"
  "cites"
  "require"
  "fix"
  "extends"
  "include"
  "exclude"
  "override"
  "set"
  "given"
  "expect"
  "tag"
] @keyword

[
  "when"
  "else"
] @keyword.control.conditional

[
  "all"
  "any"
  "none"
] @keyword.control.repeat

[
  "in"
  "where"
  "by"
  "and"
  "or"
  "not"
  "implies"
] @keyword.operator

(severity) @constant.builtin

(status) @constant.builtin

; Literals ----------------------------------------------------------------------------------

[
  (string)
  (template_string)
] @string

(json_pair
  key: (string) @variable.other.member)

(escape_sequence) @constant.character.escape

(interpolation
  [
    "{"
    "}"
  ] @punctuation.special)

(number) @constant.numeric

(json_number) @constant.numeric

(duration) @constant.numeric

(date) @string.special

(boolean) @constant.builtin.boolean

(null) @constant.builtin

(today) @constant.builtin

; Comments ----------------------------------------------------------------------------------

(doc_comment) @comment.line.documentation

(comment) @comment.line

; Operators and punctuation -----------------------------------------------------------------

[
  "=="
  "!="
  "<"
  "<="
  ">"
  ">="
  "+"
  "-"
  "*"
  "/"
  "="
] @operator

(optional_marker) @punctuation.special

[
  "."
  ","
  ":"
] @punctuation.delimiter

; The sign of a JSON number is part of the number.
(json_number
  "-" @constant.numeric)
