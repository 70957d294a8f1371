-- Neovim 0.11+: the configuration of the `rampart` language server, found by
-- `vim.lsp.enable('rampart')` when this directory is on 'runtimepath' (see README.md).
---@type vim.lsp.Config
return {
  cmd = { 'rampart', 'lsp' },
  filetypes = { 'rampart' },
  -- A policy set is a directory with a main.rampart; else the repository.
  root_markers = { 'main.rampart', '.git' },
}
