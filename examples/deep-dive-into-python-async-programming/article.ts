/** The article this folder reproduces. */
export const article = {
  slug: "deep-dive-into-python-async-programming",
  title: "Deep Dive into Python Async Programming",
  author: "Alex Jacobs",
  /** Where the text was taken from (the project's copy of the article: the blog's RSS feed). */
  source: "/work/shared/seeds/004_14988ec22eea61f5.txt",
} as const;
