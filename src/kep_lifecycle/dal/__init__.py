"""DynamoDB and SES adapters. boto3 and PynamoDB are used only below this package."""
