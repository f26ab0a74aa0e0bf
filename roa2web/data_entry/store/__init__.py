"""The data-entry stores: every SQL statement of the module (peewee rows and migrations) and the files on disk.

The only place in `roa2web.data_entry` that imports peewee.
"""
