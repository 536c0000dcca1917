"""Use cases that combine the domain rules with the DynamoDB and SES adapters."""
