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
  /** Where the text was taken from (the project's copy of the article). */
  source: "/work/shared/seeds/002_d232ed917f3878b9.txt",
} as const;
