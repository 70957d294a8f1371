; Scopes, definitions and references for Rampart, in nvim-treesitter's `@local.*` style.

; Scopes ------------------------------------------------------------------------------------

(source_file) @local.scope

; A definition's parameters are visible in its body.
(def_declaration) @local.scope

; A binder's variable is visible in the quantifier's body, or in the call's arguments for
; `count(x in xs where ...)`, `filter(...)` and `latest(x in xs by key)`.
(quantified_expression) @local.scope

(argument_list
  binder: (binder)) @local.scope

; Definitions -------------------------------------------------------------------------------

(def_declaration
  name: (identifier) @local.definition.function)

(param_declaration
  name: (identifier) @local.definition.constant)

(parameter
  name: (identifier) @local.definition.parameter)

(binder
  variable: (identifier) @local.definition.var)

(type_declaration
  name: (type_identifier) @local.definition.type)

(enum_declaration
  name: (type_identifier) @local.definition.type)

(field_declaration
  name: (field_identifier) @local.definition.field)

(norm_declaration
  name: (identifier) @local.definition)

(profile_declaration
  name: (identifier) @local.definition)

(source_declaration
  name: (identifier) @local.definition)

(pillar_declaration
  name: (identifier) @local.definition)

(stage_declaration
  name: (identifier) @local.definition)

; References --------------------------------------------------------------------------------

(identifier) @local.reference

(type_identifier) @local.reference
