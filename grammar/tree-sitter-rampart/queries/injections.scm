; Inline JSON after `given` is parsed as JSON by editors that have a JSON grammar.
((given_clause
  fixture: (json_object) @injection.content)
  (#set! injection.language "json"))

; Comments may hold other languages' comment markers (TODO, FIXME, ...).
(((comment) @injection.content)
  (#set! injection.language "comment"))
