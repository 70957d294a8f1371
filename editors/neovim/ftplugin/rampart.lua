-- Buffer settings for Rampart policy files.
vim.bo.commentstring = '// %s'
vim.bo.comments = ':///,://'
vim.bo.expandtab = true
vim.bo.shiftwidth = 2
vim.bo.softtabstop = 2
-- `gov-ci-designation` is one word.
vim.opt_local.iskeyword:append('-')

-- Tree-sitter highlighting and folding when the `rampart` parser is installed (see README.md);
-- nothing happens otherwise. Indentation stays Neovim's own (the grammar has no indents query:
-- `rampart fmt`, through the language server's formatting, lays files out).
local undo = 'setlocal commentstring< comments< expandtab< shiftwidth< softtabstop< iskeyword<'
if pcall(vim.treesitter.start) then
  vim.opt_local.foldmethod = 'expr'
  vim.opt_local.foldexpr = 'v:lua.vim.treesitter.foldexpr()'
  vim.opt_local.foldlevel = 99
  undo = undo .. ' foldmethod< foldexpr< foldlevel<'
end

local previous = vim.b.undo_ftplugin
vim.b.undo_ftplugin = (previous and previous ~= '') and (previous .. ' | ' .. undo) or undo
