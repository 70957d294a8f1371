-- Rampart policy files: *.rampart -> filetype "rampart".
vim.filetype.add({ extension = { rampart = 'rampart' } })
