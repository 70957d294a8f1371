; Highlights for Rampart (.rampart files).
;
; Capture names follow nvim-treesitter's conventions; the tree-sitter CLI and most editors map
; them onto a theme by prefix (`@keyword.import` falls back to `@keyword`).
;
; When several patterns capture the same node, the LAST one wins (Neovim, the tree-sitter CLI
; since 0.2x, Helix since 25.07), so the general patterns come first and the specific ones
; after them.

; General -----------------------------------------------------------------------------------

(identifier) @variable

(field_identifier) @property

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

; Neovim: check the spelling of comments (`@spell` is no highlight; other editors ignore it).
[
  (comment)
  (doc_comment)
] @spell

; Declarations ------------------------------------------------------------------------------

(param_declaration
  name: (identifier) @constant)

(def_declaration
  name: (identifier) @function)

(parameter
  name: (identifier) @variable.parameter)

(ref_type
  target: (identifier) @property)

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
  name: (identifier) @module)

(extends_clause
  profile: (identifier) @module)

(profile_clause
  profile: (identifier) @module)

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
  function: (identifier) @function.call
  (#not-any-of? @function.call
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

"use" @keyword.import

"def" @keyword.function

[
  "schema"
  "type"
  "enum"
  "ref"
] @keyword.type

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
] @keyword.conditional

[
  "all"
  "any"
  "none"
] @keyword.repeat

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
  key: (string) @property)

(escape_sequence) @string.escape

(interpolation
  [
    "{"
    "}"
  ] @punctuation.special)

(number) @number

(json_number) @number

(duration) @number

(date) @string.special

(boolean) @boolean

(null) @constant.builtin

(today) @constant.builtin

; Comments ----------------------------------------------------------------------------------

(doc_comment) @comment.documentation

(comment) @comment

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
  "-" @number)
