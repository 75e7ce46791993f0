/** The article this folder reproduces. */
export const article = {
  slug: "asynchronous-programming-in-python",
  title: "Asynchronous Programming in Python",
  author: "Nithesh Reddy",
  /** Where the text was taken from (the project's copy of the article). */
  source: "/work/shared/seeds/003_c24565f792f31751.txt",
} as const;
