; Text objects for Rampart, for Helix: `mif`/`maf` select a norm's or definition's body or the
; whole item, `mit`/`mat` a test, `mic`/`mac` a comment.

(norm_declaration
  body: (_) @function.inside) @function.around

(def_declaration
  value: (_) @function.inside) @function.around

(profile_declaration
  body: (_) @class.inside) @class.around

(type_declaration
  body: (_) @class.inside) @class.around

(schema_declaration
  body: (_) @class.inside) @class.around

(test_declaration
  body: (_) @test.inside) @test.around

(parameter) @parameter.inside

[
  (comment)
  (doc_comment)
] @comment.inside

(comment)+ @comment.around

(doc_comment)+ @comment.around
