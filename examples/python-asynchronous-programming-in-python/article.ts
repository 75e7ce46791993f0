/**
 * The article this folder reproduces. Its title starts with the blog's tag, "[python]";
 * the slug keeps it, which also tells it apart from "Asynchronous Programming in Python"
 * (asynchronous-programming-in-python/), a different article.
 */
export const article = {
  slug: "python-asynchronous-programming-in-python",
  title: "[python] Asynchronous programming in Python",
  /** The post names no author (a blog post of 2023-10-19). */
  author: null,
} as const;
