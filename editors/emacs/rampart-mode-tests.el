;;; rampart-mode-tests.el --- Tests for rampart-mode  -*- lexical-binding: t; -*-

;; Run: emacs -Q --batch -L . -l rampart-mode-tests.el -f ert-run-tests-batch-and-exit

;;; Code:

(require 'ert)
(require 'rampart-mode)

(defconst rampart-tests--sample "/// Doc.
norm gov-system-ownership {
  title \"Owners {braces}\"
  severity high
  when any s in systems: is_critical(s)
  require all s in systems where s.type == \"x\": s.owner.phone != \"\"
    else \"system {s.id} has no owner\"
  cites idea-2019 \"§5\"
}
//// not a doc comment
schema {
  type: string
  stage?: [ref stages]
}
def d = 2026-11-10 - 90d + count(xs) - gov-ci - b
test \"t\" {
  expect not-applicable n
}
")

(defmacro rampart-tests--with-buffer (text &rest body)
  "Run BODY in a `rampart-mode' buffer holding TEXT, fontified."
  (declare (indent 1))
  `(with-temp-buffer
     (insert ,text)
     (rampart-mode)
     (font-lock-ensure)
     (goto-char (point-min))
     ,@body))

(defun rampart-tests--face-at (needle &optional offset)
  "The face at the first occurrence of NEEDLE after point (plus OFFSET)."
  (save-excursion
    (search-forward needle)
    (let ((face (get-text-property (+ (match-beginning 0) (or offset 0)) 'face)))
      (if (listp face) (car face) face))))

(ert-deftest rampart-mode-is-used-for-rampart-files ()
  (should (eq (assoc-default "policy.rampart" auto-mode-alist #'string-match) 'rampart-mode)))

(ert-deftest rampart-mode-highlights ()
  (rampart-tests--with-buffer rampart-tests--sample
    (should (eq (rampart-tests--face-at "/// Doc") 'font-lock-doc-face))
    (should (eq (rampart-tests--face-at "norm ") 'font-lock-keyword-face))
    (should (eq (rampart-tests--face-at "gov-system-ownership") 'font-lock-function-name-face))
    (should (eq (rampart-tests--face-at "ownership {") 'font-lock-function-name-face))
    (should (eq (rampart-tests--face-at "title") 'font-lock-keyword-face))
    (should (eq (rampart-tests--face-at "{braces}") 'font-lock-string-face))
    (should (eq (rampart-tests--face-at "high") 'font-lock-constant-face))
    (should (eq (rampart-tests--face-at "any s") 'font-lock-keyword-face))
    ;; A quantifier's list and body are not a field and its type.
    (should (eq (rampart-tests--face-at "systems: is") nil))
    (should (eq (rampart-tests--face-at "is_critical") nil))
    (should (eq (rampart-tests--face-at "where") 'font-lock-keyword-face))
    (should (eq (rampart-tests--face-at "type ==" 0) nil))
    (should (eq (rampart-tests--face-at "else") 'font-lock-keyword-face))
    (should (eq (rampart-tests--face-at "{s.id}") 'font-lock-variable-name-face))
    (should (eq (rampart-tests--face-at "has no owner") 'font-lock-string-face))
    (should (eq (rampart-tests--face-at "idea-2019") 'font-lock-constant-face))
    (should (eq (rampart-tests--face-at "//// not" 6) 'font-lock-comment-face))
    (should (eq (rampart-tests--face-at "type: string") 'font-lock-variable-name-face))
    (should (eq (rampart-tests--face-at "string\n") 'font-lock-type-face))
    (should (eq (rampart-tests--face-at "stage?:") 'font-lock-variable-name-face))
    (should (eq (rampart-tests--face-at "stages]") 'font-lock-type-face))
    (should (eq (rampart-tests--face-at "2026-11-10") 'font-lock-constant-face))
    (should (eq (rampart-tests--face-at "90d") 'font-lock-constant-face))
    (should (eq (rampart-tests--face-at "count(") 'font-lock-builtin-face))
    (should (eq (rampart-tests--face-at "gov-ci -") nil))
    (should (eq (rampart-tests--face-at "not-applicable") 'font-lock-constant-face))))

(ert-deftest rampart-mode-indents-by-depth ()
  (rampart-tests--with-buffer "norm n {
title \"t\"
      require all s in xs:
s.ok
else \"m\"
stages [
a,
]
}
"
    (indent-region (point-min) (point-max))
    (should (equal (buffer-string) "norm n {
  title \"t\"
  require all s in xs:
    s.ok
    else \"m\"
  stages [
    a,
  ]
}
"))))

(defconst rampart-tests--policies
  (directory-files-recursively
   (expand-file-name "../../policies" (file-name-directory (or load-file-name buffer-file-name)))
   "\\.rampart\\'")
  "The `.rampart' files of the norm library, which `rampart fmt' keeps formatted.")

(ert-deftest rampart-mode-indenting-keeps-the-fmt-layout ()
  (should (> (length rampart-tests--policies) 10))
  (dolist (file rampart-tests--policies)
    (with-temp-buffer
      (insert-file-contents file)
      (let ((formatted (split-string (buffer-string) "\n")))
        (rampart-mode)
        (indent-region (point-min) (point-max))
        (let ((indented (split-string (buffer-string) "\n"))
              (line 1))
          ;; Report the first line that moved, with its file and number.
          (while (and formatted (equal (car formatted) (car indented)))
            (setq formatted (cdr formatted) indented (cdr indented) line (1+ line)))
          (should (equal (list file line (car indented)) (list file line (car formatted)))))))))

(ert-deftest rampart-mode-comments ()
  (rampart-tests--with-buffer "def x = 1\n"
    (comment-region (point-min) (point-max))
    (should (equal (buffer-string) "// def x = 1\n"))))

(ert-deftest rampart-mode-eglot-entry ()
  (require 'eglot nil t)
  (when (featurep 'eglot)
    (should (assq 'rampart-mode eglot-server-programs)))
  (should (equal (rampart-eglot-contact) '("rampart" "lsp"))))

(provide 'rampart-mode-tests)

;;; rampart-mode-tests.el ends here
