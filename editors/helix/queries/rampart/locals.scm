; Scopes, definitions and references for Rampart, for Helix: a reference to a definition's
; parameter or to a quantifier's variable is highlighted like the definition.

(def_declaration) @local.scope

(quantified_expression) @local.scope

(argument_list
  binder: (binder)) @local.scope

(parameter
  name: (identifier) @local.definition.variable.parameter)

(binder
  variable: (identifier) @local.definition.variable)

(identifier) @local.reference
