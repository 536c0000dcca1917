"""The local run: the daily jobs on an embedded moto server, driven by the `kepctl` command."""
