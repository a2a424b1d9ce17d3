"""Teachers and their classes: join codes, memberships, sign-in links, and what a teacher may see."""
