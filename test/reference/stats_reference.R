# R's side of the OLS and logistic reference values, on exactly the datasets that
# test/reference/stats_reference.py generated (read back from test/fixtures/stats/ols.json and
# logit.json, so R and statsmodels see the same doubles).
#
#   Rscript test/reference/stats_reference.R
#
# Writes test/fixtures/stats/r-ols.json and r-logit.json by hand (R 4.2 here has base packages and
# nlme/MASS only: no jsonlite, no sandwich), every number as sprintf("%.17g").
#
# OLS: lm(y ~ X - 1) for coefficients and classical SEs (t(n - k) p-values). HC1 and cluster-robust
# covariances are built by hand, as the sandwich package would:
#   HC1      n/(n-k) (X'X)^-1 X' diag(e^2) X (X'X)^-1              (MacKinnon & White 1985)
#   cluster  G/(G-1) (n-1)/(n-k) (X'X)^-1 (sum_g s_g s_g') (X'X)^-1, s_g = X_g' e_g
#            (Liang & Zeger 1986; the small-sample factor of Stata and statsmodels)
# with normal p-values, plus t(G-1) p-values for the cluster version.
# Logistic: glm(y ~ X - 1, family = binomial) with epsilon 1e-14; SEs from summary(); for the
# separated dataset, the warnings glm gives.

args <- commandArgs(trailingOnly = FALSE)
script <- sub("^--file=", "", args[grep("^--file=", args)])
fixtures <- normalizePath(file.path(dirname(script), "..", "fixtures", "stats"))

# A small JSON reader: enough for the fixtures json.dump writes (objects, arrays, numbers,
# strings without unicode escapes, true/false/null, NaN and Infinity).
read_json <- function(path) {
  text <- paste(readLines(path, warn = FALSE), collapse = "\n")
  pattern <- "\"(\\\\.|[^\"\\\\])*\"|-?Infinity|NaN|-?[0-9][0-9.eE+-]*|true|false|null|[][{}:,]"
  tokens <- regmatches(text, gregexpr(pattern, text, perl = TRUE))[[1]]
  pos <- 1L
  value <- function() {
    t <- tokens[pos]
    pos <<- pos + 1L
    if (t == "{") {
      out <- list()
      if (tokens[pos] == "}") { pos <<- pos + 1L; return(out) }
      repeat {
        key <- value()
        pos <<- pos + 1L # the colon
        v <- value()
        out[key] <- list(v)
        sep <- tokens[pos]
        pos <<- pos + 1L
        if (sep == "}") return(out)
      }
    }
    if (t == "[") {
      out <- list()
      if (tokens[pos] == "]") { pos <<- pos + 1L; return(out) }
      repeat {
        out[length(out) + 1L] <- list(value())
        sep <- tokens[pos]
        pos <<- pos + 1L
        if (sep == "]") break
      }
      scalar <- vapply(out, function(v) is.atomic(v) && length(v) == 1L, logical(1))
      if (all(scalar)) return(unlist(out))
      return(out)
    }
    if (startsWith(t, "\"")) return(gsub("\\\\(.)", "\\1", substr(t, 2L, nchar(t) - 1L)))
    if (t == "true") return(TRUE)
    if (t == "false") return(FALSE)
    if (t == "null") return(NA)
    as.numeric(t)
  }
  value()
}

num <- function(x) ifelse(is.finite(x), sprintf("%.17g", x), "null")
arr <- function(x) paste0("[", paste(num(x), collapse = ", "), "]")
str <- function(x) paste0("\"", gsub("\"", "\\\\\"", x), "\"")
strs <- function(x) paste0("[", paste(vapply(x, str, character(1)), collapse = ", "), "]")
inference <- function(cov, beta, p_of) {
  se <- sqrt(diag(cov))
  z <- beta / se
  paste0("{\"bse\": ", arr(se), ", \"tvalues\": ", arr(z), ", \"pvalues\": ", arr(p_of(z)), "}")
}
design <- function(case) do.call(cbind, lapply(case$X, as.numeric))
versions <- paste0("{\"R\": ", str(paste(R.version$major, R.version$minor, sep = ".")), "}")

ols <- read_json(file.path(fixtures, "ols.json"))
ols_cases <- vapply(ols$cases, function(case) {
  X <- design(case)
  y <- as.numeric(case$y)
  n <- nrow(X)
  k <- ncol(X)
  fit <- lm(y ~ X - 1)
  beta <- as.numeric(coef(fit))
  e <- as.numeric(residuals(fit))
  bread <- chol2inv(qr.R(qr(X)))
  classical <- vcov(fit)
  hc1 <- n / (n - k) * bread %*% crossprod(X * e) %*% bread
  clusters <- as.numeric(case$clusters)
  scores <- rowsum(X * e, clusters)
  g <- nrow(scores)
  cluster <- g / (g - 1) * (n - 1) / (n - k) * bread %*% crossprod(scores) %*% bread
  se_cluster <- sqrt(diag(cluster))
  paste0("  {\"name\": ", str(case$name), ",\n",
         "   \"params\": ", arr(beta), ",\n",
         # R² with R's own intercept (the first column of X is the constant): lm without one
         # reports the uncentred R², statsmodels the centred one when X holds a constant.
         "   \"rsquared\": ", num(summary(lm(y ~ X[, -1, drop = FALSE]))$r.squared), ",\n",
         "   \"nonrobust\": ", inference(classical, beta, function(t) 2 * pt(-abs(t), n - k)), ",\n",
         "   \"hc1\": ", inference(hc1, beta, function(z) 2 * pnorm(-abs(z))), ",\n",
         "   \"cluster\": ", inference(cluster, beta, function(z) 2 * pnorm(-abs(z))), ",\n",
         "   \"cluster_t\": {\"pvalues\": ", arr(2 * pt(-abs(beta / se_cluster), g - 1)), ", \"df\": ", g - 1, "}}")
}, character(1))
writeLines(paste0("{\"generator\": \"test/reference/stats_reference.R\",\n \"versions\": ", versions, ",\n",
                  " \"note\": ", str(paste("lm(y ~ X - 1) on the datasets of ols.json: classical SEs with t(n-k) p-values;",
                                           "HC1 and cluster-robust (G/(G-1)(n-1)/(n-k)) sandwiches by hand with normal p-values;",
                                           "cluster_t uses t(G-1)")), ",\n",
                  " \"cases\": [\n", paste(ols_cases, collapse = ",\n"), "\n]}\n"),
           file.path(fixtures, "r-ols.json"), sep = "")

logit <- read_json(file.path(fixtures, "logit.json"))
control <- glm.control(epsilon = 1e-14, maxit = 100)
logit_cases <- vapply(logit$cases, function(case) {
  X <- design(case)
  y <- as.numeric(case$y)
  fit <- glm(y ~ X - 1, family = binomial, control = control)
  table <- summary(fit)$coefficients
  paste0("  {\"name\": ", str(case$name), ", \"converged\": ", tolower(fit$converged), ",\n",
         "   \"params\": ", arr(table[, 1]), ",\n",
         "   \"bse\": ", arr(table[, 2]), ",\n",
         "   \"zvalues\": ", arr(table[, 3]), ",\n",
         "   \"pvalues\": ", arr(table[, 4]), ",\n",
         "   \"llf\": ", num(as.numeric(logLik(fit))), "}")
}, character(1))
separated <- vapply(logit$separated, function(case) {
  X <- design(case)
  y <- as.numeric(case$y)
  caught <- character(0)
  fit <- withCallingHandlers(glm(y ~ X - 1, family = binomial, control = control),
                             warning = function(w) {
                               caught <<- c(caught, conditionMessage(w))
                               invokeRestart("muffleWarning")
                             })
  paste0("  {\"name\": ", str(case$name), ", \"converged\": ", tolower(fit$converged),
         ", \"warnings\": ", strs(unique(caught)), "}")
}, character(1))
writeLines(paste0("{\"generator\": \"test/reference/stats_reference.R\",\n \"versions\": ", versions, ",\n",
                  " \"note\": ", str("glm(y ~ X - 1, family = binomial, epsilon = 1e-14) on the datasets of logit.json; SEs and z from summary(); normal p-values"), ",\n",
                  " \"cases\": [\n", paste(logit_cases, collapse = ",\n"), "\n],\n",
                  " \"separated\": [\n", paste(separated, collapse = ",\n"), "\n]}\n"),
           file.path(fixtures, "r-logit.json"), sep = "")
