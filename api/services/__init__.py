"""Application services: the work behind the routes, kept out of them."""
