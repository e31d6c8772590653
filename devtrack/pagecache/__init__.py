"""Rendered personal pages, kept per person until something they show has changed.

Every write gives a revision a new value: the page revision of each person whose pages show
the changed row (and of their nearest leader, whose overview shows them), or the site
revision when an organisation-wide row changed (the grundlag, units, rounds, people). A cached
page is served only while both revisions, the language and the Danish date are the ones it
was rendered under, so a page is never older than the data behind it.
"""
