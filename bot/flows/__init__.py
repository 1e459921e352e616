"""Use cases, by domain: one function for each thing a person (or Slack) does.

A flow opens the transaction, calls the services that hold the rules, owes what must be
posted through the outbox, and sends it once the transaction has committed: no Slack call
is made while a transaction is open. It returns what the listener shows the person.
"""
