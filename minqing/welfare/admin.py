# Everything here changes only through this app's services (its pages); Django admin registers
# nothing on purpose, so there is no second write path around the audit trail and the state machine.
