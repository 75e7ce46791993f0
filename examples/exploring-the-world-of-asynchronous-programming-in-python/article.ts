/** The article this folder reproduces. */
export const article = {
  slug: "exploring-the-world-of-asynchronous-programming-in-python",
  title: "Exploring the World of Asynchronous Programming in Python: A Comprehensive Guide",
  /** The post names no author (a blog post of 2023-01-30, "advanced python"). */
  author: null,
} as const;
