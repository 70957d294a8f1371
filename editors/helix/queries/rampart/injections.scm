; Inline JSON after `given` is highlighted as JSON.
((given_clause
  fixture: (json_object) @injection.content)
  (#set! injection.language "json"))

; TODO, FIXME, ... in comments.
([
  (comment)
  (doc_comment)
] @injection.content
  (#set! injection.language "comment"))
