"""The ledger's pages, by what they show: residents, households (with tags and liaison), Excel in and out."""
