-- Buffer settings for Rampart policy files.
vim.bo.commentstring = '// %s'
vim.bo.comments = ':///,://'
vim.bo.expandtab = true
vim.bo.shiftwidth = 2
vim.bo.softtabstop = 2
-- `gov-ci-designation` is one word.
vim.opt_local.iskeyword:append('-')

-- Tree-sitter highlighting, folding and indentation when the `rampart` parser is installed
-- (see README.md); nothing happens otherwise.
if pcall(vim.treesitter.start) then
  vim.wo.foldmethod = 'expr'
  vim.wo.foldexpr = 'v:lua.vim.treesitter.foldexpr()'
  vim.wo.foldlevel = 99
end

vim.b.undo_ftplugin = (vim.b.undo_ftplugin or '')
  .. '\n setlocal commentstring< comments< expandtab< shiftwidth< softtabstop< iskeyword<'
