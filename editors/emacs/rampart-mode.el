;;; rampart-mode.el --- Major mode for the Rampart policy language  -*- lexical-binding: t; -*-

;; Version: 0.1.0
;; Package-Requires: ((emacs "27.1"))
;; Keywords: languages
;; SPDX-License-Identifier: MIT

;;; Commentary:

;; A major mode for Rampart policy files (`*.rampart'): syntax highlighting, `//' comments
;; (`///' doc comments), indentation by brace depth, imenu, an Eglot entry for the
;; `rampart lsp' language server, and `rampart-check-jurisdiction' to run `rampart check' on a
;; jurisdiction file.
;;
;; Install: put this file on `load-path' and add
;;
;;   (require 'rampart-mode)
;;
;; `*.rampart' files then open in `rampart-mode'.  With Eglot (built into Emacs 29),
;; `M-x eglot' in a Rampart buffer starts `rampart lsp'; to start it automatically:
;;
;;   (add-hook 'rampart-mode-hook #'eglot-ensure)

;;; Code:

(require 'rx)
(require 'compile)
(require 'subr-x)

(defgroup rampart nil
  "Support for the Rampart policy language."
  :group 'languages
  :prefix "rampart-")

(defcustom rampart-executable "rampart"
  "The `rampart' binary.
Used for the language server and by `rampart-check-jurisdiction'."
  :type 'string)

(defcustom rampart-indent-offset 2
  "Number of columns for each level of indentation in Rampart files."
  :type 'integer
  :safe #'integerp)

(defcustom rampart-check-arguments nil
  "Extra arguments after `rampart check FILE', e.g. (\"--policy\" \"policies\")."
  :type '(repeat string))

;;; Syntax

(defvar rampart-mode-syntax-table
  (let ((table (make-syntax-table)))
    ;; `//' starts a comment that ends at the end of the line.
    (modify-syntax-entry ?/ ". 12" table)
    (modify-syntax-entry ?\n ">" table)
    (modify-syntax-entry ?\" "\"" table)
    (modify-syntax-entry ?\\ "\\" table)
    ;; Hyphenated ids (`gov-ci-designation') and snake_case names are single symbols.
    (modify-syntax-entry ?_ "_" table)
    (modify-syntax-entry ?- "_" table)
    (dolist (char '(?+ ?* ?= ?< ?> ?! ?? ?: ?, ?.))
      (modify-syntax-entry char "." table))
    table)
  "Syntax table for `rampart-mode'.")

(eval-and-compile
  (defconst rampart--ident-rx
    '(seq (any "A-Za-z_") (* (any "A-Za-z0-9_"))
          (* "-" (+ (any "A-Za-z0-9_"))))
    "An identifier, with single inner hyphens (`gov-ci-designation')."))

(defmacro rampart--rx (&rest forms)
  "Like `rx', with `ident' standing for a Rampart identifier."
  `(rx-let ((ident ,rampart--ident-rx)
            ;; Not inside a longer identifier, not after `.' (a field name).
            (start (not (any "A-Za-z0-9_.-")))
            (end (not (any "A-Za-z0-9_"))))
     (rx ,@forms)))

(defconst rampart-builtins
  '("count" "filter" "latest" "exists" "resolves" "is_empty" "days" "days_between" "min" "max"
    "lower" "upper" "trim" "len" "starts_with" "ends_with" "contains" "union" "intersection"
    "difference" "subset" "passes" "fails")
  "Built-in functions of Rampart expressions.")

(defconst rampart-item-keywords
  '("use" "source" "pillar" "stage" "enum" "type" "schema" "param" "def" "norm" "profile"
    "test")
  "Words that start a top-level item.")

(defconst rampart-clause-keywords
  '("title" "publisher" "url" "note" "year" "stages" "severity" "tags" "cites" "when" "require"
    "else" "fix" "extends" "include" "exclude" "override" "set" "given" "expect" "tag" "ref")
  "Words that start a clause or field of an item.")

(defconst rampart-expression-keywords
  '("all" "any" "none" "in" "not" "and" "or" "implies" "where" "by")
  "Reserved words of expressions (besides the constants).")

(defun rampart--keyword-matcher (words)
  "A font-lock matcher for WORDS used as keywords, not as field names.
A word directly followed by `:' or `?:' is a field name in a `schema' or
`type' block, and one after `.' is a field access."
  (let ((re (concat "\\(?:" (rampart--rx (or bol start)) "\\)"
                    "\\(" (regexp-opt words) "\\)"
                    "\\(?:" (rampart--rx (or eol end)) "\\)")))
    (lambda (limit)
      (let (found)
        (while (and (not found) (re-search-forward re limit t))
          (let ((end (match-end 1)))
            (unless (or (save-match-data (nth 8 (syntax-ppss (match-beginning 1))))
                        (save-excursion
                          (goto-char end)
                          (looking-at-p "[ \t]*\\??[ \t]*:")))
              (setq found t))
            (goto-char end)))
        found))))

(defconst rampart--field-re
  (rampart--rx (or bol start) (group ident) (* blank) (? "?") (* blank) ":" (* blank)
               (* "[" (* blank)) (? "ref" (+ blank))
               (group ident))
  "A field declaration: `name?: [ref Type]'.")

(defun rampart--in-declaration-block-p (pos)
  "True when POS is directly inside the braces of a `schema' or `type' block."
  (let ((open (nth 1 (syntax-ppss pos))))
    (and open
         (eq (char-after open) ?{)
         (save-excursion
           (goto-char open)
           (looking-back (rampart--rx (or bol start) (or "schema" (seq "type" (+ blank) ident))
                                      (* space))
                         (line-beginning-position))))))

(defun rampart--field-matcher (limit)
  "Find the next field declaration before LIMIT, in a `schema' or `type' block."
  (let (found)
    (while (and (not found) (re-search-forward rampart--field-re limit t))
      (when (save-match-data (rampart--in-declaration-block-p (match-beginning 1)))
        (setq found t)))
    found))

(defun rampart--template-matcher (limit)
  "Find the next `{expr}' interpolation of an `else' message before LIMIT."
  (let (found)
    (while (and (not found) (re-search-forward "{\\([^{}\"\n]*\\)}" limit t))
      (let* ((start (match-beginning 0))
             (state (save-excursion (syntax-ppss start))))
        (when (and (nth 3 state)
                   (not (eq (char-before start) ?\\))
                   (save-match-data
                     (save-excursion
                       (goto-char (nth 8 state))
                       (looking-back (rampart--rx (or bol start) "else" (* blank))
                                     (line-beginning-position)))))
          (setq found t))))
    found))

(defconst rampart-font-lock-keywords
  `(;; Item names.
    (,(rampart--rx (or bol start) (group (or "type" "enum")) (+ blank) (group ident))
     (1 font-lock-keyword-face) (2 font-lock-type-face))
    (,(rampart--rx (or bol start) (group "def") (+ blank) (group ident))
     (1 font-lock-keyword-face) (2 font-lock-function-name-face))
    (,(rampart--rx (or bol start) (group "norm") (+ blank) (group ident))
     (1 font-lock-keyword-face) (2 font-lock-function-name-face))
    (,(rampart--rx (or bol start) (group (or "param" "source" "pillar" "stage" "profile"
                                             "extends" "set" "cites" "tag" "override"))
                   (+ blank) (group ident))
     (2 font-lock-constant-face))
    ;; Severities and statuses.
    (,(rampart--rx (or bol start) "severity" (+ blank)
                   (group (or "critical" "high" "medium" "low")) (or eol end))
     (1 font-lock-constant-face))
    (,(rampart--rx (or bol start) "expect" (+ blank)
                   (group (or "not-applicable" "pass" "fail" "unknown" "waived" "error"))
                   (or eol end))
     (1 font-lock-constant-face))
    ;; Field declarations and their types, `name?: [Type]', inside `schema' and `type' blocks
    ;; only (elsewhere `xs: body' is a quantifier's list and body).
    (rampart--field-matcher
     (1 font-lock-variable-name-face) (2 font-lock-type-face))
    ;; Keywords (not when they are field names).
    (,(rampart--keyword-matcher rampart-item-keywords) (1 font-lock-keyword-face))
    (,(rampart--keyword-matcher rampart-clause-keywords) (1 font-lock-keyword-face))
    (,(rampart--keyword-matcher rampart-expression-keywords) (1 font-lock-keyword-face))
    ;; Calls.
    (,(concat "\\(?:" (rampart--rx (or bol start)) "\\)"
              "\\(" (regexp-opt rampart-builtins) "\\)"
              (rampart--rx (* space) "("))
     (1 font-lock-builtin-face))
    ;; Literals.
    (,(rampart--rx (or bol (not (any "A-Za-z0-9_."))) (group (= 4 digit) "-" (= 2 digit) "-" (= 2 digit))
                   (or eol end))
     (1 font-lock-constant-face))
    (,(rampart--rx (or bol (not (any "A-Za-z0-9_."))) (group digit (* (any "0-9_")) (any "dw"))
                   (or eol end))
     (1 font-lock-constant-face))
    (,(rampart--rx (or bol start) (group (or "true" "false" "today" "null")) (or eol end))
     (1 font-lock-constant-face))
    ;; `{expr}' in `else' messages.
    (rampart--template-matcher (0 font-lock-variable-name-face t)))
  "Highlighting for `rampart-mode'.")

(defun rampart--syntactic-face (state)
  "The face of a string or comment: doc comments (`///') get the doc face.
STATE is the `syntax-ppss' state at the start of the string or comment;
see `font-lock-syntactic-face-function'."
  (cond
   ((nth 3 state) font-lock-string-face)
   ((save-excursion
      (goto-char (nth 8 state))
      (looking-at-p "///\\(?:[^/]\\|$\\)"))
    font-lock-doc-face)
   (t font-lock-comment-face)))

;;; Indentation

(defconst rampart--continues-re
  (concat "\\(?:[-=:+*/<>!(]\\|"
          (rampart--rx (or bol start) (or "and" "or" "implies" "not" "in" "where" "by"))
          "\\)[ \t]*\\'")
  "The end of a line after which the expression goes on on the next line.")

(defconst rampart--continuation-start-re
  (concat "\\(?:[-+*/<>=!]\\|"
          (rampart--rx (or "and" "or" "implies" "in" "not" "where") (or eol end))
          "\\)")
  "The start of a line that goes on with the expression of the line above.")

(defun rampart--previous-code-end ()
  "The text of the previous line that holds code, without its trailing comment."
  (save-excursion
    (let (text)
      (while (and (not text) (zerop (forward-line -1)))
        (let* ((eol (line-end-position))
               (state (syntax-ppss eol))
               (end (if (nth 4 state) (nth 8 state) eol))
               (code (string-trim (buffer-substring-no-properties (line-beginning-position) end))))
          (unless (string-empty-p code)
            (setq text code))))
      text)))

(defun rampart--continuation-p ()
  "True when the line at point goes on with an expression begun above it."
  (or (looking-at-p rampart--continuation-start-re)
      (let ((previous (rampart--previous-code-end)))
        (and previous (string-match-p rampart--continues-re previous)))))

(defun rampart--hanging-p (state)
  "True when the innermost bracket of STATE has content after it on its line.
`rampart fmt' aligns the next lines of such a list or object (the JSON of a
`given') with its first item, deeper than the brace depth."
  (let ((open (nth 1 state)))
    (and open
         (save-excursion
           (goto-char (1+ open))
           (skip-chars-forward " \t")
           (not (or (eolp) (looking-at-p "//")))))))

(defun rampart--indentation ()
  "The column to indent the current line to.
Lines are indented by the depth of braces, brackets and parentheses.  A line
that goes on with an expression from the line above, or a comment line, is
indented one level more, or kept where it is when that is deeper: `rampart fmt'
aligns such lines with the expression they continue, and indenting never
undoes that layout."
  (save-excursion
    (back-to-indentation)
    (let* ((state (syntax-ppss))
           (depth (car state))
           (base nil))
      (cond
       ((nth 3 state) (current-indentation))    ; inside a string: leave it
       (t
        (when (looking-at-p "[]})]")
          (setq depth (1- depth)))
        (setq base (* (max depth 0) rampart-indent-offset))
        (cond
         ;; `else "message"' continues the `require' clause above it.
         ((looking-at-p (rampart--rx "else" (or eol end))) (+ base rampart-indent-offset))
         ((looking-at-p "[]})]") base)
         ((or (looking-at-p "//") (rampart--hanging-p state)) (max base (current-indentation)))
         ((rampart--continuation-p)
          (max (+ base rampart-indent-offset) (current-indentation)))
         (t base)))))))

(defun rampart-indent-line ()
  "Indent the current line by the depth of braces, brackets and parentheses."
  (interactive)
  (let ((column (rampart--indentation))
        (offset (- (current-column) (current-indentation))))
    (indent-line-to column)
    (when (> offset 0)
      (move-to-column (+ column offset)))))

;;; Imenu

(defconst rampart-imenu-generic-expression
  `(("Norms" ,(rampart--rx bol (* blank) "norm" (+ blank) (group ident)) 1)
    ("Definitions" ,(rampart--rx bol (* blank) "def" (+ blank) (group ident)) 1)
    ("Parameters" ,(rampart--rx bol (* blank) "param" (+ blank) (group ident)) 1)
    ("Types" ,(rampart--rx bol (* blank) (or "type" "enum") (+ blank) (group ident)) 1)
    ("Profiles" ,(rampart--rx bol (* blank) "profile" (+ blank) (group ident)) 1)
    ("Tests" ,(rampart--rx bol (* blank) "test" (+ blank) (group "\"" (* (not (any "\"\n"))) "\"")) 1))
  "Imenu entries of a Rampart file.")

;;; Commands

(defun rampart-check-jurisdiction (file)
  "Run `rampart check FILE' (a jurisdiction document) in a compilation buffer.
`rampart-check-arguments' are added after FILE."
  (interactive
   (list (read-file-name "Jurisdiction file: " nil nil t
                         (and buffer-file-name (file-name-nondirectory buffer-file-name)))))
  (save-some-buffers (not compilation-ask-about-save))
  (compile (mapconcat #'shell-quote-argument
                      (append (list rampart-executable "check" (expand-file-name file))
                              rampart-check-arguments)
                      " ")))

;;; The mode

;;;###autoload
(define-derived-mode rampart-mode prog-mode "Rampart"
  "Major mode for Rampart policy files.

\\{rampart-mode-map}"
  :syntax-table rampart-mode-syntax-table
  (setq-local comment-start "// ")
  (setq-local comment-end "")
  (setq-local comment-start-skip "//+[ \t]*")
  (setq-local comment-use-syntax t)
  (setq-local indent-tabs-mode nil)
  (setq-local tab-width rampart-indent-offset)
  (setq-local indent-line-function #'rampart-indent-line)
  (setq-local electric-indent-chars (append '(?\} ?\] ?\)) electric-indent-chars))
  (setq-local font-lock-defaults
              '(rampart-font-lock-keywords nil nil nil nil
                (font-lock-syntactic-face-function . rampart--syntactic-face)))
  (setq-local imenu-generic-expression rampart-imenu-generic-expression))

(define-key rampart-mode-map (kbd "C-c C-c") #'rampart-check-jurisdiction)

;;;###autoload
(add-to-list 'auto-mode-alist '("\\.rampart\\'" . rampart-mode))

;;; Eglot

(defun rampart-eglot-contact (&optional _interactive)
  "How Eglot starts the Rampart language server: `rampart lsp' over stdio."
  (list rampart-executable "lsp"))

;;;###autoload
(with-eval-after-load 'eglot
  (defvar eglot-server-programs)
  (add-to-list 'eglot-server-programs '(rampart-mode . rampart-eglot-contact)))

(provide 'rampart-mode)

;;; rampart-mode.el ends here
