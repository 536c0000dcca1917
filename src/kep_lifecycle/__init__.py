"""Account lifecycle of a KEP (registered e-mail) provider: renewal, quota, closure and notices."""
