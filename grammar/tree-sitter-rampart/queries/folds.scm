; Folding ranges for Rampart: every braced or bracketed block.
[
  (source_body)
  (enum_body)
  (field_list)
  (norm_body)
  (profile_body)
  (test_body)
  (json_object)
  (json_array)
  (list_expression)
  (argument_list)
  (parameter_list)
] @fold
