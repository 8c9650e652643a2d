"""The peer of the city benchmark (issue 19 item 5): django-helpdesk, installed from PyPI into its own
virtualenv by setup.sh, loaded with as many tickets as Minqing has demands and driven by the same
driver in the same run (compare.py). Nothing of django-helpdesk is vendored here."""
