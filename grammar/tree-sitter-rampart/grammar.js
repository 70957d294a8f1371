/**
 * @file Tree-sitter grammar for the Rampart policy language (`.rampart` files).
 * @license MIT
 *
 * The normative grammar is ../rampart.ebnf and the reference parser is src/syntax (Rust); this
 * grammar follows both closely but is meant for editors, so it is a little more permissive in a
 * few places that the Rust front end reports anyway (chained comparisons such as `a < b < c`,
 * `filter(xs)` without a binder, reserved words such as `where` used as names, any identifier
 * as a type name). Everything the Rust parser accepts parses here without ERROR nodes.
 */

/// <reference types="tree-sitter-cli/dsl" />
// @ts-check

const PREC = {
  quantified: -1,
  implies: 1,
  or: 2,
  and: 3,
  not: 4,
  compare: 5,
  additive: 6,
  multiplicative: 7,
  unary: 8,
  postfix: 9,
};

/**
 * Zero or more `rule`, separated by commas.
 * @param {RuleOrLiteral} rule
 */
function commaSep(rule) {
  return optional(commaSep1(rule));
}

/**
 * One or more `rule`, separated by commas.
 * @param {RuleOrLiteral} rule
 */
function commaSep1(rule) {
  return seq(rule, repeat(seq(',', rule)));
}

module.exports = grammar({
  name: 'rampart',

  // Whitespace (and a byte-order mark) separate tokens; comments may appear between any two
  // tokens. Doc comments are kept as their own node so that queries can treat them apart.
  extras: $ => [/[ \t\r\n\uFEFF]/, $.doc_comment, $.comment],

  // Keywords are recognised only where the grammar allows them, so a schema may have fields
  // called `type`, `stage` or `severity` (the word token makes keyword extraction work).
  word: $ => $.identifier,

  supertypes: $ => [$._item, $._expression, $._type],

  // `count(x in xs)`: a binder or a comparison passed as an argument; both parse, and the
  // binder reading wins (dynamic precedence on `binder`), as in the Rust parser.
  conflicts: $ => [[$.binder, $._primary_expression]],

  rules: {
    source_file: $ => repeat($._item),

    _item: $ => choice(
      $.use_declaration,
      $.source_declaration,
      $.pillar_declaration,
      $.stage_declaration,
      $.enum_declaration,
      $.type_declaration,
      $.schema_declaration,
      $.param_declaration,
      $.def_declaration,
      $.norm_declaration,
      $.profile_declaration,
      $.test_declaration,
    ),

    // ----------------------------------------------------------------------------- imports

    use_declaration: $ => seq('use', field('path', $.string)),

    // ---------------------------------------------------------------------------- metadata

    source_declaration: $ => seq(
      'source',
      field('name', $.identifier),
      field('body', $.source_body),
    ),

    source_body: $ => seq('{', repeat($.source_field), '}'),

    source_field: $ => choice(
      seq(field('key', choice('title', 'publisher', 'url', 'note')), field('value', $.string)),
      seq(field('key', 'year'), field('value', $.number)),
    ),

    pillar_declaration: $ => seq(
      'pillar',
      field('name', $.identifier),
      optional(field('description', $.string)),
    ),

    stage_declaration: $ => seq(
      'stage',
      field('name', $.identifier),
      optional(field('description', $.string)),
    ),

    // ------------------------------------------------------------------------------- types

    schema_declaration: $ => seq('schema', field('body', $.field_list)),

    type_declaration: $ => seq(
      'type',
      field('name', $._type_name),
      field('body', $.field_list),
    ),

    enum_declaration: $ => seq(
      'enum',
      field('name', $._type_name),
      field('body', $.enum_body),
    ),

    enum_body: $ => seq('{', repeat(seq($.enum_member, optional(','))), '}'),

    enum_member: $ => field('value', $.string),

    field_list: $ => seq('{', repeat($.field_declaration), '}'),

    field_declaration: $ => seq(
      field('name', alias($.identifier, $.field_identifier)),
      optional(field('optional', $.optional_marker)),
      ':',
      field('type', $._type),
      optional(','),
    ),

    optional_marker: _ => '?',

    _type: $ => choice(
      $.primitive_type,
      $.array_type,
      $.ref_type,
      $._type_name,
    ),

    primitive_type: _ => choice('string', 'bool', 'int', 'count', 'number', 'ratio', 'date'),

    array_type: $ => seq('[', field('element', $._type), ']'),

    ref_type: $ => seq('ref', field('target', $.identifier)),

    _type_name: $ => alias($.identifier, $.type_identifier),

    // ------------------------------------------------------------------ params and defs

    param_declaration: $ => seq(
      'param',
      field('name', $.identifier),
      ':',
      field('type', $._type),
      '=',
      field('value', $._expression),
    ),

    def_declaration: $ => seq(
      'def',
      field('name', $.identifier),
      optional(field('parameters', $.parameter_list)),
      '=',
      field('value', $._expression),
    ),

    parameter_list: $ => seq('(', optional(seq(commaSep1($.parameter), optional(','))), ')'),

    parameter: $ => seq(
      field('name', $.identifier),
      ':',
      field('type', $._type),
    ),

    // ------------------------------------------------------------------------------ norms

    norm_declaration: $ => seq(
      'norm',
      field('name', $.identifier),
      field('body', $.norm_body),
    ),

    norm_body: $ => seq('{', repeat($._norm_clause), '}'),

    _norm_clause: $ => choice(
      $.title_clause,
      $.pillar_clause,
      $.stages_clause,
      $.severity_clause,
      $.tags_clause,
      $.cites_clause,
      $.when_clause,
      $.require_clause,
      $.fix_clause,
    ),

    title_clause: $ => seq('title', field('title', $.string)),

    pillar_clause: $ => seq('pillar', field('pillar', $.identifier)),

    stages_clause: $ => seq(
      'stages',
      choice(
        seq('[', optional(seq(commaSep1(field('stage', $.identifier)), optional(','))), ']'),
        field('all', 'all'),
      ),
    ),

    severity_clause: $ => seq('severity', field('severity', $.severity)),

    severity: _ => choice('critical', 'high', 'medium', 'low'),

    tags_clause: $ => seq(
      'tags',
      '[',
      optional(seq(commaSep1(field('tag', $.identifier)), optional(','))),
      ']',
    ),

    cites_clause: $ => seq(
      'cites',
      field('source', $.identifier),
      optional(field('locator', $.string)),
    ),

    when_clause: $ => seq('when', field('condition', $._expression)),

    require_clause: $ => seq(
      'require',
      field('condition', $._expression),
      optional(field('else', $.else_message)),
    ),

    else_message: $ => seq('else', field('message', $.template_string)),

    fix_clause: $ => seq('fix', field('example', $.string)),

    // --------------------------------------------------------------------------- profiles

    profile_declaration: $ => seq(
      'profile',
      field('name', $.identifier),
      field('body', $.profile_body),
    ),

    profile_body: $ => seq('{', repeat($._profile_clause), '}'),

    _profile_clause: $ => choice(
      $.title_clause,
      $.extends_clause,
      $.include_clause,
      $.exclude_clause,
      $.override_clause,
      $.set_clause,
    ),

    extends_clause: $ => seq('extends', field('profile', $.identifier)),

    include_clause: $ => seq('include', commaSep1(field('selector', $.selector))),

    exclude_clause: $ => seq('exclude', commaSep1(field('selector', $.selector))),

    selector: $ => choice(
      field('kind', 'all'),
      seq(field('kind', 'norm'), field('name', $.identifier)),
      seq(field('kind', 'pillar'), field('name', $.identifier)),
      seq(field('kind', 'stage'), field('name', $.identifier)),
      seq(field('kind', 'severity'), field('severity', $.severity)),
      seq(field('kind', 'tag'), field('name', $.identifier)),
    ),

    override_clause: $ => seq(
      'override',
      field('norm', $.identifier),
      '{',
      'severity',
      field('severity', $.severity),
      '}',
    ),

    set_clause: $ => seq(
      'set',
      field('name', $.identifier),
      '=',
      field('value', $._expression),
    ),

    // ------------------------------------------------------------------------------ tests

    test_declaration: $ => seq(
      'test',
      field('name', $.string),
      field('body', $.test_body),
    ),

    test_body: $ => seq('{', repeat($._test_clause), '}'),

    _test_clause: $ => choice(
      $.given_clause,
      $.profile_clause,
      $.set_clause,
      $.expect_clause,
    ),

    given_clause: $ => seq(
      'given',
      field('fixture', choice($.string, $.json_object)),
    ),

    profile_clause: $ => seq('profile', field('profile', $.identifier)),

    expect_clause: $ => seq(
      'expect',
      field('status', $.status),
      commaSep1(field('norm', $.identifier)),
    ),

    // Any word parses here, as in the Rust parser; the checker rejects an unknown status.
    status: $ => choice('pass', 'fail', 'unknown', 'not-applicable', 'waived', 'error', $.identifier),

    // ------------------------------------------------------------------------ inline JSON

    json_object: $ => seq('{', commaSep($.json_pair), '}'),

    json_pair: $ => seq(
      field('key', $.string),
      ':',
      field('value', $._json_value),
    ),

    json_array: $ => seq('[', commaSep($._json_value), ']'),

    _json_value: $ => choice(
      $.json_object,
      $.json_array,
      $.string,
      $.json_number,
      $.boolean,
      $.null,
    ),

    // JSON as the Rust parser reads it: Rampart strings (and escapes), an optional `-` before a
    // number, no exponent, no trailing comma.
    json_number: $ => seq(optional('-'), $.number),

    null: _ => 'null',

    // ------------------------------------------------------------------------ expressions

    _expression: $ => choice(
      $.binary_expression,
      $.unary_expression,
      $._postfix_expression,
    ),

    // `all x in xs: c`, also as an operand (`a and all x in xs: c`): its body extends as far
    // to the right as it can.
    quantified_expression: $ => prec.right(PREC.quantified, seq(
      field('quantifier', choice('all', 'any', 'none')),
      field('binder', $.binder),
      ':',
      field('body', $._expression),
    )),

    binder: $ => prec.dynamic(1, seq(
      field('variable', $.identifier),
      'in',
      field('collection', $._expression),
      optional(seq('where', field('condition', $._expression))),
    )),

    binary_expression: $ => {
      /** @type {[number, RuleOrLiteral][]} */
      const leftAssoc = [
        [PREC.or, 'or'],
        [PREC.and, 'and'],
        [PREC.compare, choice('==', '!=', '<', '<=', '>', '>=', 'in', seq('not', 'in'))],
        [PREC.additive, choice('+', '-')],
        [PREC.multiplicative, choice('*', '/')],
      ];
      return choice(
        prec.right(PREC.implies, seq(
          field('left', $._expression),
          field('operator', 'implies'),
          field('right', $._expression),
        )),
        ...leftAssoc.map(([p, op]) => prec.left(p, seq(
          field('left', $._expression),
          field('operator', op),
          field('right', $._expression),
        ))),
      );
    },

    unary_expression: $ => choice(
      prec(PREC.not, seq(field('operator', 'not'), field('operand', $._expression))),
      prec(PREC.unary, seq(field('operator', '-'), field('operand', $._expression))),
    ),

    _postfix_expression: $ => choice(
      $.member_expression,
      $.index_expression,
      $._primary_expression,
    ),

    member_expression: $ => prec(PREC.postfix, seq(
      field('object', $._postfix_expression),
      '.',
      field('field', alias($.identifier, $.field_identifier)),
    )),

    index_expression: $ => prec(PREC.postfix, seq(
      field('object', $._postfix_expression),
      '[',
      field('index', $._expression),
      ']',
    )),

    _primary_expression: $ => choice(
      $.string,
      $.number,
      $.date,
      $.duration,
      $.boolean,
      $.today,
      $.identifier,
      alias($._collect_function, $.identifier),
      $.call_expression,
      $.parenthesized_expression,
      $.list_expression,
      $.quantified_expression,
    ),

    call_expression: $ => choice(
      seq(
        field('function', $.identifier),
        field('arguments', $.argument_list),
      ),
      // `count(x in xs where c)`, `filter(...)` and `latest(x in xs by key)` take a binder;
      // `count(xs)` takes an expression.
      seq(
        field('function', alias($._collect_function, $.identifier)),
        field('arguments', choice(
          $.argument_list,
          alias($._binder_arguments, $.argument_list),
        )),
      ),
    ),

    _collect_function: _ => choice('count', 'filter', 'latest'),

    argument_list: $ => seq(
      '(',
      optional(seq(commaSep1(field('argument', $._expression)), optional(','))),
      ')',
    ),

    _binder_arguments: $ => seq(
      '(',
      field('binder', $.binder),
      optional(seq('by', field('key', $._expression))),
      ')',
    ),

    parenthesized_expression: $ => seq('(', $._expression, ')'),

    list_expression: $ => seq(
      '[',
      optional(seq(commaSep1($._expression), optional(','))),
      ']',
    ),

    // --------------------------------------------------------------------------- literals

    // A string ends on the line where it starts. `{` is an ordinary character, except in the
    // message after `else`, a template where `{expr}` interpolates a value.
    string: $ => seq(
      '"',
      repeat(choice($.string_content, $.escape_sequence)),
      '"',
    ),

    string_content: _ => token.immediate(prec(10, /[^"\\\n]+/)),

    template_string: $ => seq(
      '"',
      repeat(choice(
        alias($._template_content, $.string_content),
        $.escape_sequence,
        $.interpolation,
      )),
      '"',
    ),

    _template_content: _ => token.immediate(prec(10, /[^"\\\n{]+/)),

    escape_sequence: _ => token.immediate(/\\(["\\ntr{}]|u[0-9a-fA-F]{4})/),

    interpolation: $ => seq(
      '{',
      field('expression', $._expression),
      '}',
    ),

    number: _ => /[0-9][0-9_]*(\.[0-9]+)?/,

    date: _ => /[0-9]{4}-[0-9]{2}-[0-9]{2}/,

    duration: _ => /[0-9][0-9_]*[dw]/,

    boolean: _ => choice('true', 'false'),

    today: _ => 'today',

    // ASCII, with single inner hyphens (`gov-ci-designation`, `e-voting`); `a - b` with spaces
    // is a subtraction, and so are `a -b` and `a- b`.
    identifier: _ => /[A-Za-z_][A-Za-z0-9_]*(-[A-Za-z0-9_]+)*/,

    // `///` starts a doc comment, but `////` (or more) is an ordinary comment.
    doc_comment: _ => token(prec(1, /\/\/\/([^\/\n][^\n]*)?/)),

    comment: _ => token(prec(1, choice(/\/\/[^\/\n][^\n]*/, /\/\//, /\/\/\/\/[^\n]*/))),
  },
});
